public import Logging

/// Owns every neural model in the process: loads each lazily, once, shares it, releases it when idle.
///
/// Engines never load a model themselves; they call ``withModel(_:_:)``. The first user of a model
/// triggers its load and every concurrent user waits for that same load, so two jobs narrating at
/// once hold one copy. When the last user is done, the model stays loaded for
/// ``Configuration/idleRelease`` in case another job wants it, then it is released and the process
/// gives its memory back. A memory budget bounds the total: a load that would exceed it first
/// releases idle models, then waits for models in use to become idle, and fails with a clear error
/// when that takes too long; it never overcommits.
///
/// Create one manager per process (or per server) and pass it to the engines that need it; it is
/// a value the pipeline carries, not a global.
public actor ModelManager {
    /// How the manager behaves.
    public struct Configuration: Sendable {
        /// How long an unused model stays loaded; `.zero` releases it as soon as its last user is done.
        public var idleRelease: Duration
        /// The most resident memory all loaded models may account for together; `nil` for no limit.
        public var memoryBudget: Int?
        /// How long a load may wait for memory to be freed before it fails.
        public var budgetWait: Duration
        /// Where loads and releases are logged (at `info`).
        public var logger: Logger
        /// The clock idle times and budget waits run on (tests pass a manual clock).
        public var clock: ErasedClock

        /// Creates a configuration.
        public init(idleRelease: Duration = .seconds(60), memoryBudget: Int? = nil, budgetWait: Duration = .seconds(120),
                    logger: Logger = Logger(label: "aishorts.models"), clock: ErasedClock = .continuous) {
            self.idleRelease = idleRelease
            self.memoryBudget = memoryBudget
            self.budgetWait = budgetWait
            self.logger = logger
            self.clock = clock
        }
    }

    struct Entry {
        enum State {
            case loading(Task<LoadedModel, any Error>)
            case ready(any Sendable)
        }
        var state: State
        var name: String
        /// Bytes the model accounts for in the budget: what its load measurably added, at least its estimate.
        var bytes: Int
        var users: Int
        /// When the last user was done, on ``Configuration/clock``.
        var lastUse: Duration
        var idleTimer: Task<Void, Never>?

        var isReady: Bool {
            if case .ready = state { return true }
            return false
        }
    }

    /// The configuration in force.
    public let configuration: Configuration
    var entries: [String: Entry] = [:]
    var usage: [String: ModelUsage] = [:]
    var budgetWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    var nextWaiter = 0

    /// Creates a manager with nothing loaded.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        ProcessMemory.keepLargeBlocksReturnable()
    }

    /// Runs `body` with the model `request` names, loading it first if no one has.
    ///
    /// The model is guaranteed to stay loaded while `body` runs. `body` runs outside the manager, so
    /// several users run their models at the same time.
    /// - Throws: ``ModelError`` when the model cannot be loaded or the budget cannot make room, and
    ///   whatever `body` throws.
    public nonisolated func withModel<Model: Sendable, Result: Sendable>(
        _ request: ModelRequest<Model>, _ body: (Model) async throws -> Result
    ) async throws -> Result {
        let model = try await acquire(request)
        do {
            let result = try await body(model)
            await relinquish(request.id)
            return result
        } catch {
            await relinquish(request.id)
            throw error
        }
    }

    /// Whether the model with this identifier is loaded (or being loaded) now.
    public func isLoaded(_ id: String) -> Bool { entries[id] != nil }

    /// Identifiers of the models loaded now.
    public var loadedModels: [String] { entries.keys.sorted() }

    /// Bytes the loaded models account for together.
    public var accountedBytes: Int { entries.values.reduce(0) { $0 + $1.bytes } }

    /// What each model used so far cost, in first-use order of name.
    public func usageReport() -> [ModelUsage] {
        usage.values.sorted { $0.name == $1.name ? $0.path < $1.path : $0.name < $1.name }
    }

    /// Releases every model no one is using, now (`--release-models now`, the end of a CLI run).
    public func releaseIdleModels() {
        // Ids first: iterating `entries` itself would keep a copy of every model alive until the loop
        // ends, so their memory would not be free when `release` trims.
        let idle = entries.compactMap { id, entry -> String? in
            if entry.users == 0, case .ready = entry.state { return id }
            return nil
        }
        for id in idle { release(id) }
    }
}
