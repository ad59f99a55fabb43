import AiShortsCore
import AiShortsServer
import AiShortsTestSupport
import Foundation
import NIOHTTP1
import Subprocess
import SystemPackage
import Testing

extension ServerRenders {
    /// The built `aishorts serve` as a child process: killed with -9, stopped with SIGTERM, restarted.
    @Suite("the server process", .serialized, .enabled(if: ServerFixtures.toolsAvailable && ServerFixtures.binary != nil))
    struct ServerProcessTests {
        static let paragraphs = (1...3).map { "Paragraph \($0) tells how leafcutter ants carry leaves home to feed the fungus they farm." }

        /// Runs the binary on `folder`'s data and cache until `body` returns (then SIGTERM), and returns
        /// `body`'s result with how the process ended.
        static func withProcess<T: Sendable>(
            _ folder: URL, _ extra: [String] = [],
            _ body: (TestServer, Int32) async throws -> T
        ) async throws -> (T, TerminationStatus) {
            let binary = try #require(ServerFixtures.binary)
            let result = try await Subprocess.run(
                .path(FilePath(binary)),
                arguments: Arguments(["serve", "--port", "0", "--data", folder.appendingPathComponent("data").path,
                                      "--cache-dir", folder.appendingPathComponent("cache").path,
                                      "--config", folder.appendingPathComponent("none.yaml").path] + extra),
                input: .none,
                output: .sequence,
                error: .discarded
            ) { execution -> Result<T, any Error> in
                var lines = execution.standardOutput.strings().makeAsyncIterator()
                let outcome: Result<T, any Error>
                do {
                    guard let first = try await lines.next(), let range = first.range(of: "http://127.0.0.1:"),
                          let port = Int(first[range.upperBound...].prefix(while: \.isNumber)) else {
                        throw TestServerError("the server did not print its address")
                    }
                    let client = TestServer(base: URL(string: "http://127.0.0.1:\(port)")!, server: nil, folder: folder)
                    outcome = .success(try await body(client, execution.processIdentifier.value))
                } catch {
                    outcome = .failure(error)
                }
                try? execution.send(signal: .terminate)
                while (try? await lines.next()) != nil {}
                return outcome
            }
            return (try result.closureResult.get(), result.terminationStatus)
        }

        @Test func aServerKilledMidRenderLosesNothing() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-kill-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let ((id, renders), status) = try await Self.withProcess(folder, ["--jobs", "1"]) { server, pid in
                let id = try await server.create(["script": Self.paragraphs.joined(separator: "\n\n"), "voice": "espeak:en-us", "preset": "ultrafast"])
                _ = try await server.waitForEvent(id) { $0.event == "stage.progress" && $0.data["stage"] as? String == "render" }
                let renders = Self.children(of: pid, named: "ffmpeg")
                kill(pid, SIGKILL)
                return (id, renders)
            }
            #expect(status == .signaled(9), "\(status)")
            #expect(!renders.isEmpty, "ffmpeg was rendering when the server was killed")
            // The render dies with the server (its keeper kills it), before anything restarts.
            // SIGKILL is delivered asynchronously: wait for the processes to be gone (or dead and not
            // yet reaped), with a safety net rather than a deadline.
            try await waitUntil("the killed server's ffmpeg dies with it", limit: .seconds(30)) {
                renders.allSatisfy { kill($0, 0) != 0 || Self.isZombie($0) }
            }
            let reply = try await Self.withProcess(folder, ["--jobs", "1"]) { server, _ in
                #expect(try await server.finalState(id) == "succeeded")
                return try await server.get("/api/v1/jobs/\(id)")
            }.0
            let job = reply.json
            #expect(job["attempts"] as? Int == 2, "claimed once before the kill and once after")
            let report = try #require(job["report"] as? [String: Any])
            let caches = try #require(report["caches"] as? [String: [String: Int]])
            #expect((caches["narration"]?["hits"] ?? 0) == Self.paragraphs.count, "the narration made before the kill came from the cache: \(caches)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("data/jobs/\(id)").path)
            #expect(Set(files) == ["video.mp4", "video.report.json", "video.ass", "poster.jpg"], "no partial file left: \(files)")
            let work = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("cache/work").path)) ?? []
            #expect(work.isEmpty, "the killed job's scratch folder was swept: \(work)")
        }

        @Test func sigtermPutsARunningJobBackAndTheNextStartFinishesIt() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-term-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (id, status) = try await Self.withProcess(folder, ["--jobs", "1", "--grace", "0"]) { server, pid in
                let id = try await server.create(["script": Self.paragraphs.joined(separator: "\n\n"), "voice": "espeak:en-us", "preset": "ultrafast"])
                // A client following the job sees its stream end when the server stops.
                async let followed = server.events(id)
                _ = try await server.waitForEvent(id) { $0.event == "stage.progress" && $0.data["stage"] as? String == "render" }
                kill(pid, SIGTERM)
                let events = try await followed
                #expect(events.last?.data["state"] as? String != "succeeded")
                return id
            }
            #expect(status == .exited(0), "\(status)")
            #expect(ffmpegProcesses(writingInto: folder).isEmpty, "the stopped server left no render running")
            _ = try await Self.withProcess(folder, ["--jobs", "1"]) { server, _ in
                let events = try await server.events(id)
                let states = events.filter { $0.event == "state" }.compactMap { $0.data["reason"] as? String }
                #expect(states.contains { $0.contains("worker stopped") }, "\(events.map(\.json))")
                #expect(events.last?.data["state"] as? String == "succeeded")
            }
        }

        @Test func aPublicAddressWithoutATokenIsRefused() async throws {
            let binary = try #require(ServerFixtures.binary)
            let result = try await ToolRunner().run(Tool(name: "aishorts", path: binary), arguments: ["serve", "--host", "0.0.0.0", "--port", "0"])
            #expect(!result.isSuccess)
            #expect(result.stderrTail.count == 1 && result.stderrTail[0].hasPrefix("error: ") && result.stderrTail[0].contains("token"), "\(result.stderrTail)")
        }

        static func children(of parent: Int32, named name: String) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                      let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return false }
                let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
                return stat[stat.index(after: open)..<close] == name && fields.count > 1 && Int32(fields[1]) == parent
            }
        }

        /// Whether the process has exited and waits to be reaped.
        static func isZombie(_ pid: Int32) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
            return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
        }
    }
}
