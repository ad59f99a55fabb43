import AiShortsCore
import AiShortsServer
import AiShortsTestSupport
import Foundation
import Subprocess
import SystemPackage
import Testing

extension ServerRenders {
    /// Many processes, one PostgreSQL queue: an API node in this process (no workers of its own) and
    /// `aishorts worker` children sharing a storage folder, on the suite's private cluster.
    @Suite("scale-out on PostgreSQL", .serialized, .postgresCluster, .timeLimit(.minutes(8)),
           .enabled(if: ServerFixtures.toolsAvailable && ServerFixtures.binary != nil))
    struct ScaleOutTests {
        /// Runs `count` worker processes (one job at a time each, a lease of `lease` seconds), each
        /// with its own scratch and cache folders, until `body` returns; then SIGTERM to each.
        static func withWorkers<T: Sendable>(
            _ count: Int, url: PostgresURL, storage: URL, folder: URL, lease: Int = 10,
            _ body: @escaping @Sendable ([Int32]) async throws -> T
        ) async throws -> T {
            let binary = try #require(ServerFixtures.binary)
            let arguments = (1...max(1, count)).map { index in
                let own = folder.appendingPathComponent("worker\(index)")
                return ["worker", "--database", url.withPassword, "--storage", storage.path, "--jobs", "1",
                        "--data", own.appendingPathComponent("data").path, "--cache-dir", own.appendingPathComponent("cache").path,
                        "--config", folder.appendingPathComponent("none.yaml").path, "--lease", String(lease)]
            }
            return try await WorkerProcesses.with(binary: binary, arguments: count > 0 ? arguments : [], body)
        }

        /// Runs `body` with an API-only node (`--jobs 0`) on a new database of the suite's cluster.
        static func withAPINode<T: Sendable>(_ body: (TestServer, PostgresURL, URL) async throws -> T) async throws -> T {
            let url = try await PostgresClusterTrait.cluster().makeDatabase()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-scale-\(UUID().uuidString)")
            defer {
                for pid in ffmpegProcesses(writingInto: folder) { kill(pid, SIGKILL) }
                try? FileManager.default.removeItem(at: folder)
            }
            let storage = folder.appendingPathComponent("storage")
            return try await TestServer.with(folder: folder.appendingPathComponent("api"), { configuration in
                configuration.database = url
                configuration.storage = storage
                configuration.jobs = 0
            }) { api in try await body(api, url, folder) }
        }

        /// The job's JSON through the API node, tolerating the moments the database is away (503).
        static func state(_ api: TestServer, _ id: String) async -> (state: String?, job: [String: Any]) {
            guard let reply = try? await api.get("/api/v1/jobs/\(id)"), reply.status == 200 else { return (nil, [:]) }
            return (reply.json["state"] as? String, reply.json)
        }

        @Test func twelveJobsOnThreeWorkersFinishOnceThroughAKillAndADatabaseRestart() async throws {
            let cluster = try PostgresClusterTrait.cluster()
            try await Self.withAPINode { api, url, folder in
                try await Self.withWorkers(3, url: url, storage: folder.appendingPathComponent("storage"), folder: folder) { pids in
                    var ids: [String] = []
                    for index in 1...12 {
                        ids.append(try await api.create(["script": "Short number \(index): leafcutter ants farm a fungus.",
                                                         "voice": "espeak:en-us", "preset": "ultrafast"]))
                    }
                    // Kill -9 a worker while it runs a job: the job comes back when the lease runs out.
                    var victim: (job: String, pid: Int32)?
                    try await waitUntil("a worker runs a job", limit: .seconds(120)) {
                        for id in ids {
                            let (state, job) = await Self.state(api, id)
                            if state == "running", let worker = job["worker"] as? [String: Any], let pid = worker["pid"] as? Int,
                               pids.contains(Int32(pid)) {
                                victim = (id, Int32(pid))
                                return true
                            }
                        }
                        return false
                    }
                    let (killedJob, killedPid) = try #require(victim)
                    // What the worker runs for its job now (espeak-ng, ffprobe or ffmpeg): it dies with it.
                    let programs = ["espeak-ng", "ffmpeg", "ffprobe"].flatMap { ServerProcessTests.children(of: killedPid, named: $0) }
                    kill(killedPid, SIGKILL)
                    try await waitUntil("the killed worker's programs die with it", limit: .seconds(30)) {
                        programs.allSatisfy { kill($0, 0) != 0 || ServerProcessTests.isZombie($0) }
                    }
                    // The database restarts mid-run: workers and the API node reconnect by themselves.
                    try await cluster.stopServer()
                    try await Task.sleep(for: .seconds(2))
                    try await cluster.startServer()
                    try await waitUntil("all twelve jobs end", limit: .seconds(400)) {
                        var ended = 0
                        for id in ids where await Self.state(api, id).state.map({ JobState(rawValue: $0)?.isTerminal ?? false }) == true { ended += 1 }
                        return ended == ids.count
                    }
                    for id in ids {
                        let (state, job) = await Self.state(api, id)
                        #expect(state == "succeeded", "\(id): \(job)")
                        let finals = try await api.events(id).filter { $0.event == "state" && $0.data["state"] as? String == "succeeded" }
                        #expect(finals.count == 1, "\(id) succeeded exactly once")
                        #expect(job["worker"] is NSNull, "a finished job has no worker")
                        if id == killedJob {
                            #expect(job["attempts"] as? Int == 2, "claimed by the killed worker, then by another")
                        }
                    }
                    let succeededBy = try await cluster.query("SELECT DISTINCT worker FROM aishorts_attempt WHERE outcome = 'succeeded'", database: url.database)
                    #expect(succeededBy.count >= 2, "the jobs were spread over the workers: \(succeededBy)")
                    let lost = try await cluster.query("SELECT worker FROM aishorts_attempt WHERE job = '\(killedJob)' ORDER BY number", database: url.database)
                    #expect(lost.count == 2 && lost[0].contains(":\(killedPid):") && lost[1] != lost[0], "\(lost)")

                    // The API node, which renders nothing, serves what a worker wrote to the shared storage.
                    let video = try await api.get("/api/v1/jobs/\(ids[0])/video")
                    #expect(video.status == 200 && video.body.count > 1000 && video.body.dropFirst(4).prefix(4) == Data("ftyp".utf8))
                    #expect(try await api.get("/api/v1/jobs/\(ids[0])/poster").status == 200)
                    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("storage/jobs/\(ids[0])").path)
                    #expect(!leftovers.contains { $0.contains(".partial") }, "\(leftovers)")
                }
            }
        }

        @Test func aCancelOnTheAPINodeStopsTheJobInAWorkerProcess() async throws {
            try await Self.withAPINode { api, url, folder in
                try await Self.withWorkers(1, url: url, storage: folder.appendingPathComponent("storage"), folder: folder) { pids in
                    // `aishorts queue status` lists the worker process (it says it is alive every few seconds).
                    try await waitUntil("queue status lists the worker", limit: .seconds(60)) {
                        let status = try await Self.queueStatus(url)
                        let workers = status["workers"] as? [[String: Any]] ?? []
                        return workers.contains { $0["pid"] as? Int == Int(pids[0]) } && (status["jobs"] as? [String: Int])?["queued"] == 0
                    }
                    let paragraphs = (1...6).map { "Paragraph \($0) tells how leafcutter ants carry leaves home to feed the fungus they farm." }
                    let id = try await api.create(["script": paragraphs.joined(separator: "\n\n"), "voice": "espeak:en-us", "preset": "ultrafast"])
                    try await waitUntil("the worker runs the job", limit: .seconds(120)) { await Self.state(api, id).state == "running" }
                    let reply = try await api.post("/api/v1/jobs/\(id)/cancel", json: [:] as [String: Any])
                    #expect(reply.status == 202)
                    try await waitUntil("the worker stops the job", limit: .seconds(60)) { await Self.state(api, id).state == "cancelled" }
                    #expect(try await api.events(id).last?.data["state"] as? String == "cancelled")
                }
            }
        }
    }
}

extension ServerRenders.ScaleOutTests {
    /// `aishorts queue status --json`, parsed.
    static func queueStatus(_ url: PostgresURL) async throws -> [String: Any] {
        let binary = try #require(ServerFixtures.binary)
        let result = try await Subprocess.run(.path(FilePath(binary)), arguments: ["queue", "status", "--database", url.withPassword, "--json"],
                                              output: .string(limit: 1 << 20), error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else { throw TestServerError("queue status failed: \(result.standardError)") }
        return (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
    }

    @Test func aBadDatabaseURLIsOneLineSayingHowToWriteIt() async throws {
        let binary = try #require(ServerFixtures.binary)
        for arguments in [["worker", "--database", "mysql://u@h/d", "--storage", "/tmp"],
                          ["serve", "--port", "0", "--database", "postgres://u@h/d?sslmode=verify-full", "--storage", "/tmp"],
                          ["serve", "--port", "0", "--database", "postgres://u@h/d"]] {
            let result = try await ToolRunner().run(Tool(name: "aishorts", path: binary), arguments: arguments)
            #expect(!result.isSuccess)
            #expect(result.stderrTail.count == 1 && result.stderrTail[0].hasPrefix("error: "), "\(arguments): \(result.stderrTail)")
        }
    }
}

extension PostgresURL {
    /// The URL with its password, for a child process's command line (tests only).
    var withPassword: String {
        "postgres://\(user):\(password ?? "")@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }
}
