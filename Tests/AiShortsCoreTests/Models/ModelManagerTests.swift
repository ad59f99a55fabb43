@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// The model manager's lifecycle, on real ONNX models installed by the bootstrap and on synthetic
/// requests where only the bookkeeping matters (the budget).
@Suite("ModelManager")
struct ModelManagerTests {
    static let hibariAssets = Fixtures.packageRoot.appendingPathComponent(".deps/models/hibari")
    static let oovModel = hibariAssets.appendingPathComponent("oov.onnx")

    static func requireModels() throws {
        try #require(FileManager.default.fileExists(atPath: oovModel.path), "no \(oovModel.path): run `make bootstrap`")
    }

    /// Runs hibari's small out-of-vocabulary model once, so a use is a real inference.
    static func readWord(_ session: OnnxSession) throws -> [Int64] {
        let output = try session.run(["chars": .int64([30, 31, 32, 33], shape: [1, 4])])
        return try #require(output["ids"]?.int64s)
    }

    @Test("concurrent first users trigger one load and share it")
    func concurrentFirstUsersLoadOnce() async throws {
        try Self.requireModels()
        let manager = ModelManager(configuration: .init(idleRelease: .seconds(30)))
        let request = ModelRequest.onnx(Self.oovModel)
        let results = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<8 {
                group.addTask { try await manager.withModel(request) { try Self.readWord($0) } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(Set(results).count == 1, "the same model gives the same answer")
        let usage = try #require(await manager.usageReport().first)
        #expect(usage.loads == 1)
        #expect(usage.sharedUses == 7)
        #expect(await manager.isLoaded(request.id))
        await manager.releaseIdleModels()
        #expect(await !manager.isLoaded(request.id))
    }

    @Test("an unused model is released after the idle time, and loaded again on the next use")
    func idleRelease() async throws {
        try Self.requireModels()
        let clock = ManualClock()
        let manager = ModelManager(configuration: .init(idleRelease: .milliseconds(150), clock: ErasedClock(clock)))
        let request = ModelRequest.onnx(Self.oovModel)
        _ = try await manager.withModel(request) { try Self.readWord($0) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(149))
        #expect(await manager.isLoaded(request.id), "kept loaded while idle time runs")
        clock.advance(by: .milliseconds(1))
        try await waitUntil("released once its idle time was up") { await !manager.isLoaded(request.id) }
        _ = try await manager.withModel(request) { try Self.readWord($0) }
        let usage = try #require(await manager.usageReport().first)
        #expect(usage.loads == 2)
        #expect(usage.releases == 1)
        #expect(usage.rssAfterRelease == nil, "loaded again")
    }

    @Test("a model in use is never released, however short the idle time")
    func inUseIsKept() async throws {
        try Self.requireModels()
        let manager = ModelManager(configuration: .init(idleRelease: .zero))
        let request = ModelRequest.onnx(Self.oovModel)
        try await manager.withModel(request) { session in
            _ = try Self.readWord(session)
            await manager.releaseIdleModels()
            #expect(await manager.isLoaded(request.id))
            try await Task.sleep(for: .milliseconds(50))
            _ = try Self.readWord(session)
        }
        #expect(await !manager.isLoaded(request.id), "idle time zero releases as soon as the last user is done")
    }

    @Test("loads and releases are logged with duration and RSS")
    func logging() async throws {
        try Self.requireModels()
        let lines = LogCapture()
        var logger = Logger(label: "test.models") { _ in lines }
        logger.logLevel = .info
        let manager = ModelManager(configuration: .init(idleRelease: .zero, logger: logger))
        _ = try await manager.withModel(.onnx(Self.oovModel)) { try Self.readWord($0) }
        let messages = lines.messages
        #expect(messages.contains { $0.hasPrefix("loaded oov.onnx in ") && $0.contains(" s; RSS ") && $0.contains(" MB -> ") })
        #expect(messages.contains { $0.hasPrefix("released oov.onnx in ") && $0.contains(" s; RSS ") && $0.contains(" MB -> ") })
    }

    @Test("a missing or corrupt model file is a clear error, not a crash")
    func badFiles() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let manager = ModelManager()
        let missing = fixtures.url("nothing.onnx")
        await #expect(throws: ModelError.self) { try await manager.withModel(.onnx(missing)) { _ in 0 } }
        do {
            _ = try await manager.withModel(.onnx(missing)) { _ in 0 }
        } catch let error as ModelError {
            #expect(error.code == .fileMissing)
            #expect(error.message.contains("nothing.onnx"))
        }
        let corrupt = try fixtures.garbage("corrupt.onnx")
        do {
            _ = try await manager.withModel(.onnx(corrupt)) { _ in 0 }
            Issue.record("a corrupt model loaded")
        } catch let error as ModelError {
            #expect(error.code == .badModel)
            #expect(error.message.hasPrefix("cannot load model corrupt.onnx: "))
            #expect(!error.message.contains("\n"))
        }
        #expect(await manager.loadedModels.isEmpty, "a failed load leaves nothing behind")
    }
}

/// Collects log messages in memory.
final class LogCapture: LogHandler, Sendable {
    private let store = Mutex<[String]>([])
    var messages: [String] { store.withLock { $0 } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}  // swiftlint:disable:this unused_setter_value
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}  // swiftlint:disable:this unused_setter_value
    }
    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}  // swiftlint:disable:this unused_setter_value
    }

    func log(event: LogEvent) {
        store.withLock { $0.append("\(event.message)") }
    }
}

/// The manager as a long-lived service: a group's shutdown releases what is idle.
@Suite("ModelManager service")
struct ModelManagerServiceTests {
    @Test("cancelling the service releases the idle models")
    func shutdownReleases() async throws {
        try ModelManagerTests.requireModels()
        let manager = ModelManager(configuration: .init(idleRelease: .seconds(3600)))
        let service = Task { try await manager.run() }
        _ = try await manager.withModel(.onnx(ModelManagerTests.oovModel)) { try ModelManagerTests.readWord($0) }
        #expect(await manager.loadedModels.count == 1, "kept loaded while the service runs")
        service.cancel()
        try await service.value
        #expect(await manager.loadedModels.isEmpty)
        #expect(await manager.usageReport().first?.releases == 1)
    }
}
