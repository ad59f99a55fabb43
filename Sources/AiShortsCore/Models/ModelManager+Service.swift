public import ServiceLifecycle
import Logging

extension ModelManager: Service {
    /// Runs for the life of a process (in its `ServiceGroup`) and, when the group shuts down, gives
    /// back the memory of every model no one is using.
    ///
    /// Models are loaded and released by their users and the idle timers whether or not this runs;
    /// the service only adds the release at shutdown, so a server's models are freed before its other
    /// services stop. Does not throw.
    public func run() async throws {
        // Sleeps until the group's graceful shutdown (or cancellation) ends the wait.
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(365 * 24 * 3600))
        }
        releaseIdleModels()
        configuration.logger.info("model manager stopped; \(entries.count) model(s) still in use")
    }
}
