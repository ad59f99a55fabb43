public import Foundation

/// What a short is about, before a script exists.
public enum ScriptSubject: Sendable, Hashable {
    /// A given topic.
    case topic(String)
    /// A category: the writer picks a theme in it that was not made before.
    case category(String)
}

extension Pipeline {
    /// Has `writer` write a script about `subject` and turns it into a spec, narrating each scene with
    /// `voice` (when given) as soon as it has streamed in, while the model writes the next ones.
    ///
    /// The warmed narrations land in the cache, so the render that follows finds them there (the
    /// report counts them as hits). For a category, the theme history steers the model away from
    /// titles already made, and records the new one. The CLI and the server share this flow.
    /// - Parameter onScene: called with each scene's index as it streams in.
    /// - Throws: ``ScriptError``; `CancellationError`. A narration that fails while warming is not an
    ///   error here: the render narrates it again and reports the failure there.
    public func writeSpec(
        about subject: ScriptSubject,
        writer: ScriptWriter,
        voice: VoiceChoice?,
        output: URL,
        onScene: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> (spec: JobSpec, script: WrittenScript, report: WriterReport) {
        let history = ThemeHistory(cache: cache)
        let brief: ScriptBrief
        switch subject {
        case .topic(let topic): brief = .topic(topic)
        case .category(let category): brief = .category(category, avoiding: history.titles(in: category))
        }
        let (texts, feed) = AsyncStream<String>.makeStream()
        async let warmed: Void = {
            for await text in texts {
                if let voice { _ = try? await warmNarration(text, voice: voice) }
            }
        }()
        let written: (script: WrittenScript, report: WriterReport)
        do {
            written = try await writer.write(brief) { index, scene in
                feed.yield(scene.narration)
                await onScene(index)
            }
            feed.finish()
        } catch {
            feed.finish()
            await warmed
            throw error
        }
        await warmed
        if case .category(let category) = subject { try? history.record(written.script.title, in: category) }
        var spec = written.script.spec(output: output, language: writer.language)
        if let voice { spec.voice = voice }
        return (spec, written.script, written.report)
    }
}
