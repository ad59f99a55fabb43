public import Foundation

/// Why a job failed, as a client sees it: a stable code and the one-line message the CLI prints.
public struct JobFailure: Sendable, Hashable, Codable, Error, CustomStringConvertible {
    /// A stable, dotted code: `spec.missingFile`, `voice.engineFailed`, `render.ffmpegFailed` …
    public var code: String
    /// What went wrong and what to do, on one line.
    public var message: String
    /// Whether running the job again may succeed (a network failure, a killed ffmpeg), as opposed to
    /// a bad spec, which fails the same way every time.
    public var transient: Bool

    /// Creates a failure.
    public init(code: String, message: String, transient: Bool = false) {
        self.code = code
        self.message = message.oneLine
        self.transient = transient
    }

    /// The message.
    public var description: String { message }

    /// The failure a pipeline error stands for.
    public init(_ error: any Error) {
        switch error {
        case let failure as JobFailure:
            self = failure
        case let error as SpecError:
            self.init(code: "spec.\(error.code)", message: error.description)
        case let error as ScriptError:
            let transient = [ScriptError.Code.rateLimited, .serverError, .timeout, .unreachable].contains(error.code)
            self.init(code: "script.\(error.code)", message: error.description, transient: transient)
        case let error as VoiceError:
            self.init(code: "voice.\(error.code)", message: error.description, transient: error.code == .engineFailed)
        case let error as FootageError:
            let transient = [FootageError.Code.rateLimited, .serverError, .timeout, .downloadFailed, .truncated].contains(error.code)
            self.init(code: "footage.\(error.code)", message: error.description, transient: transient)
        case let error as RenderError:
            // A killed or crashed ffmpeg may succeed next time; a disk that is full or a missing
            // program will not until someone acts, and retrying would only repeat the message.
            let message = error.description
            let full = message.localizedCaseInsensitiveContains("no space left")
            self.init(code: full ? "render.diskFull" : "render.\(error.code)", message: message,
                      transient: error.code == .ffmpegFailed && !full)
        case let error as ModelError:
            self.init(code: "model.\(error.code)", message: error.description, transient: error.code == .overBudget)
        case let error as RelevanceError:
            self.init(code: "relevance.\(error.code)", message: error.description)
        case let error as ToolError:
            self.init(code: "tool.missing", message: error.description)
        default:
            self.init(code: "internal", message: String(describing: error))
        }
    }
}
