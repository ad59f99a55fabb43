public import Foundation
public import PostgresNIO

/// Where the shared job queue's PostgreSQL database is: `postgres://user:password@host:port/database?sslmode=…`.
///
/// `postgresql://` works too. The password may come from `PGPASSWORD` instead of the URL (it then
/// stays out of `ps` and shell history). `sslmode` is `disable`, `prefer` (the default, as libpq) or
/// `require`; like libpq's `require`, it encrypts without checking the server's certificate.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// How TLS is used.
    public enum SSLMode: String, Sendable, Hashable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it.
        case prefer
        /// TLS or no connection.
        case require
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to log in as (it must own the database for the migrations).
    public var user: String
    /// The password, if any.
    public var password: String?
    /// The database.
    public var database: String
    /// How TLS is used.
    public var sslMode: SSLMode

    /// Parses `text`; `environment` supplies `PGPASSWORD` when the URL has no password.
    /// - Throws: ``JobError`` `badRequest` (field `--database`) saying what is wrong and how to write it.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(JobError) {
        let example = "write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw JobError.bad("--database", "\"\(Self.redacted(text))\" is not a URL; \(example)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw JobError.bad("--database", "the scheme is \(scheme)://, not postgres:// or postgresql://; \(example)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw JobError.bad("--database", "no host in the URL; \(example)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw JobError.bad("--database", "no user in the URL; \(example)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw JobError.bad("--database", "no database name after the host; \(example)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw JobError.bad("--database", "the port \(port) is not between 1 and 65535")
        }
        var mode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw JobError.bad("--database", "sslmode=\(item.value ?? "") is not supported; use disable, prefer or require")
                }
                mode = value
            default:
                throw JobError.bad("--database", "the URL option \(item.name) is not supported; only sslmode is")
            }
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = mode
    }

    /// The URL without its password, for logs and messages.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// `text` with any password replaced, so an error never prints one.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    /// The postgres-nio client configuration.
    public var clientConfiguration: PostgresClient.Configuration {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        // libpq's prefer and require encrypt without verifying the certificate; verify-full is not offered.
        tlsConfiguration.certificateVerification = .none
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration)
        case .require: .require(tlsConfiguration)
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 8
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(15))
        return configuration
    }
}
