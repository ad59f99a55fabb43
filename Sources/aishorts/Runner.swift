import AiShortsCore
import ArgumentParser
import Foundation
import UnixSignals

/// Runs a job for a command: progress on stderr, Ctrl-C cancels cleanly, errors as one line.
enum Runner {
    /// Runs `body`, turning a known error into one `error:` line on stderr and exit status 1.
    static func orExit<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw fail(error) }
    }

    static func fail(_ error: any Error) -> ExitCode {
        let line = String(describing: error)
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
        return ExitCode(1)
    }

    /// Writes a script for `brief` in `language` with the configured LLM and turns it into a spec,
    /// narrating each scene with `voice` as it streams in (see `Pipeline.writeSpec`).
    static func write(
        _ brief: BriefOptions,
        llm: LLMOptions,
        language: LanguageTag,
        pipeline: Pipeline,
        voice: VoiceChoice?
    ) async throws -> (spec: JobSpec, script: WrittenScript, report: WriterReport) {
        let subject: ScriptSubject
        switch (brief.topic, brief.category) {
        case (let topic?, nil): subject = .topic(topic)
        case (nil, let category?): subject = .category(category)
        default: throw ValidationError("give exactly one of --topic or --category")
        }
        var writer = try orExit { try llm.writer(cache: pipeline.cache) }
        writer.language = language
        let inLanguage = language == .english ? "" : " in \(language.englishName)"
        FileHandle.standardError.write(Data("writing: asking \(writer.settings.provider.rawValue) (\(writer.settings.model))\(inLanguage)\n".utf8))
        let written: (spec: JobSpec, script: WrittenScript, report: WriterReport)
        do {
            written = try await pipeline.writeSpec(about: subject, writer: writer, voice: voice,
                                                   output: URL(fileURLWithPath: "out/short.mp4"))
        } catch { throw fail(error) }
        let report = written.report
        let source = report.cacheHit ? "from the cache, no request" : "\(report.requests) request(s), \(report.promptTokens + report.completionTokens) tokens"
        FileHandle.standardError.write(Data(String(format: "writing: done in %.2f s (%@)%@\n", report.latencySeconds, source, report.repaired ? ", repaired once" : "").utf8))
        return written
    }

    /// Renders `spec`, printing where the video and report went (or the report as JSON).
    static func render(_ spec: JobSpec, options: RenderOptions, pipeline: Pipeline? = nil, writer: WriterReport? = nil) async throws {
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        let job = Job(spec: spec)
        let pipeline = pipeline ?? options.pipeline
        enum Outcome: Sendable {
            case finished(RunReport)
            case interrupted(UnixSignal)
        }
        let report: RunReport
        do {
            let outcome = try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask { .finished(try await pipeline.run(job, writer: writer) { event in await display.show(event) }) }
                group.addTask {
                    // SIGINT/SIGTERM cancel the job, which stops ffmpeg and removes the partial file.
                    for await signal in await UnixSignalsSequence(trapping: [.sigint, .sigterm]) { return .interrupted(signal) }
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let outcome = first else { throw CancellationError() }
                return outcome
            }
            switch outcome {
            case .finished(let finished):
                report = finished
            case .interrupted(let signal):
                await display.finish()
                FileHandle.standardError.write(Data("cancelled: nothing was written to \(spec.output.path.path)\n".utf8))
                throw ExitCode(signal == .sigterm ? 143 : 130)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            await display.finish()
            if options.verbose {
                let tail = (error as? RenderError)?.stderrTail ?? (error as? VoiceError)?.stderrTail ?? []
                for line in tail { FileHandle.standardError.write(Data("  | \(line)\n".utf8)) }
            }
            throw fail(error)
        }
        await display.finish()
        // The run is over: give the models' memory back now rather than when the process exits.
        await pipeline.voices.models.releaseIdleModels()
        if options.json {
            FileHandle.standardOutput.write(try report.json())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            let video = report.video
            let loudness = video.integratedLoudness.map { String(format: ", %.1f LUFS", $0) } ?? ""
            print("video:  \(relative(report.output)) (\(String(format: "%.1f", video.duration)) s, \(video.width)x\(video.height)\(loudness))")
            print("report: \(relative(RunReport.location(for: URL(fileURLWithPath: report.output)).path))")
            print(String(format: "took %.1f s wall, %.1f s CPU, peak memory %.0f MB (process tree)",
                report.total.wallSeconds, report.total.cpuSeconds, Double(report.total.peakTreeRSSBytes) / 1_048_576))
        }
    }

    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
