public import Foundation

/// What an external program produced: its exit status, stdout, and the last lines of its stderr.
public struct ToolResult: Sendable, Hashable {
    /// The program's short name, such as `ffmpeg`.
    public var tool: String
    /// A readable termination status, such as `exit status 1` or `signal 9`.
    public var status: String
    /// Whether the program exited with status 0.
    public var isSuccess: Bool
    /// Everything the program wrote to stdout (empty when it was streamed).
    public var stdout: Data
    /// The last non-empty lines of stderr, for error messages.
    public var stderrTail: [String]

    /// stdout decoded as UTF-8.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// The most telling stderr line: the last one that is not one of ffmpeg's generic follow-ups
    /// ("Conversion failed!", "Error while processing the decoded data …"), which only repeat that
    /// something earlier went wrong.
    public var lastError: String {
        let generic = [
            "Conversion failed", "Error while processing the decoded data", "Failed to inject frame",
            "Error reinitializing filters", "Error initializing complex filters", "Error while filtering",
            "Invalid argument", "Exiting normally", "Error marking filters as finished",
        ]
        let telling = stderrTail.last { line in !generic.contains { line.contains($0) } }
        return telling ?? stderrTail.last ?? status
    }
}

/// An external program could not be run at all (as opposed to running and failing).
public struct ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program's short name.
    public var tool: String
    /// Why it could not run.
    public var reason: String

    /// One line naming the program and what to do.
    public var description: String {
        "\(tool) could not be run (\(reason)); install it with `make bootstrap` or `apt-get install \(Tool.package(of: tool))`"
    }
}
