import AiShortsCore
import Foundation
import Subprocess
import SystemPackage

/// A private PostgreSQL 15 cluster for tests: a temporary folder, a free loopback port, its own
/// server process, stopped and removed by ``stop()``.
///
/// Debian's own `main` cluster (port 5432) is never used nor touched. initdb and the server refuse to
/// run as root, so as root they run as the `postgres` user (`runuser`). The queue logs in as
/// `aishorts`, a role that is not a superuser and owns each test database, as in production.
public struct PostgresCluster: Sendable {
    /// The cluster's folder (data, socket, log).
    public let folder: URL
    /// The loopback port it listens on.
    public let port: Int
    let bin: URL

    /// The URL of a new, empty database owned by `aishorts`.
    public func makeDatabase() async throws -> PostgresURL {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await psql("CREATE DATABASE \(name) OWNER aishorts")
        return try PostgresURL("postgres://aishorts:secret@127.0.0.1:\(port)/\(name)?sslmode=disable")
    }

    /// Starts a cluster, or says in one line why it cannot (no PostgreSQL 15, no `postgres` user, …).
    public static func start() async throws -> PostgresCluster {
        let bin = URL(fileURLWithPath: ProcessInfo.processInfo.environment["AISHORTS_PG_BIN"] ?? "/usr/lib/postgresql/15/bin")
        guard FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) else {
            throw PostgresClusterError("no initdb in \(bin.path): install Debian's postgresql-15 (bash scripts/bootstrap.sh does)")
        }
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("aishorts-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if getuid() == 0 {
            try await run("/bin/chown", ["postgres:postgres", folder.path], as: nil)
        }
        let cluster = PostgresCluster(folder: folder, port: try freePort(), bin: bin)
        do {
            try await cluster.server("initdb", ["-D", cluster.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"])
            try await cluster.startServer()
            try await cluster.psql("CREATE ROLE aishorts LOGIN PASSWORD 'secret' NOSUPERUSER NOCREATEDB NOCREATEROLE")
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    /// Starts a cluster, runs `body` with it, or with why it could not start (the tests that need it
    /// then fail with that reason, rather than being skipped), and stops it.
    public static func scoped(_ body: (Result<PostgresCluster, PostgresClusterError>) async throws -> Void) async throws {
        let started: Result<PostgresCluster, PostgresClusterError>
        do { started = .success(try await start()) } catch let error as PostgresClusterError {
            started = .failure(error)
        } catch {
            started = .failure(PostgresClusterError(String(describing: error)))
        }
        let outcome: Result<Void, any Error>
        do { outcome = .success(try await body(started)) } catch { outcome = .failure(error) }
        if case .success(let cluster) = started { await cluster.stop() }
        try outcome.get()
    }

    /// Runs a query as the superuser in `database` and returns psql's unaligned output, one row a line.
    public func query(_ sql: String, database: String) async throws -> [String] {
        let result = try await Subprocess.run(.path(FilePath(bin.appendingPathComponent("psql").path)), arguments: [
            "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql,
        ], output: .string(limit: 1 << 20), error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else { throw PostgresClusterError("psql failed: \(result.standardError)") }
        return result.standardOutput.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Stops the server (immediately: tests need no clean shutdown) and removes the folder.
    public func stop() async {
        try? await server("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops the server (fast: connections are closed, as in a restart), keeping its data.
    public func stopServer() async throws {
        try await server("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"])
    }

    /// Starts the server again on the same port, with the same data.
    public func startServer() async throws {
        try await server("pg_ctl", [
            "-D", data, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "60",
            "-o", "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start",
        ])
    }

    /// Runs SQL as the superuser, in `database`.
    public func psql(_ sql: String, database: String = "postgres") async throws {
        try await Self.run(bin.appendingPathComponent("psql").path, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database,
                                            "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], as: nil)
    }

    var data: String { folder.appendingPathComponent("data").path }

    private func server(_ program: String, _ arguments: [String]) async throws {
        try await Self.run(bin.appendingPathComponent(program).path, arguments, as: getuid() == 0 ? "postgres" : nil)
    }

    private static func run(_ program: String, _ arguments: [String], as user: String?) async throws {
        let (executable, all) = user.map { ("/usr/sbin/runuser", ["-u", $0, "--", program] + arguments) } ?? (program, arguments)
        let result = try await Subprocess.run(.path(FilePath(executable)), arguments: Arguments(all),
                                              output: .string(limit: 1 << 16), error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else {
            let said = (result.standardError + result.standardOutput).split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
            throw PostgresClusterError("\((program as NSString).lastPathComponent) failed (\(result.terminationStatus)): \(said)")
        }
    }

    /// A port nothing listens on now: bound on loopback, read back, released.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresClusterError("no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresClusterError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The private cluster could not be started or used.
public struct PostgresClusterError: Error, CustomStringConvertible {
    /// What went wrong, and what to do.
    public var description: String

    public init(_ description: String) {
        self.description = "PostgreSQL test cluster: " + description
    }
}
