public import Foundation
import NIOCore
import NIOPosix

/// A webhook address a client gave: its form, and whether the server may call it.
///
/// A server that POSTs wherever a client says can be made to call into its own network (the
/// metadata service, an admin page on loopback). So the host is resolved and every address it
/// resolves to must be public, unless the operator allowed private callbacks.
public enum CallbackURL {
    /// The longest address accepted.
    public static let maxCharacters = 2000

    /// Checks the form: `http` or `https`, a host, no user or password.
    /// - Throws: ``JobError`` `badRequest` naming `callback_url`.
    public static func parse(_ text: String) throws(JobError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw JobError.bad("callback_url", "expected an http:// or https:// address")
        }
        guard let host = url.host, !host.isEmpty else { throw JobError.bad("callback_url", "the address has no host") }
        guard url.user == nil, url.password == nil else {
            throw JobError.bad("callback_url", "must not carry a user or password; receivers check the X-AiShorts-Signature header instead")
        }
        return url
    }

    /// Resolves the host and refuses loopback, private, link-local and other non-public addresses.
    /// The resolver runs on NIO's thread pool, so no task's thread waits for DNS.
    /// - Throws: ``JobError`` `badRequest` naming `callback_url`.
    public static func checkReachable(_ url: URL, allowPrivate: Bool) async throws(JobError) {
        guard !allowPrivate else { return }
        let host = url.host ?? ""
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        let addresses: [SocketAddress]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive {
                try Self.resolve(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
            }
        } catch {
            throw JobError.bad("callback_url", "cannot resolve \(host.prefix(100)); give an address this server can reach")
        }
        guard !addresses.isEmpty else { throw JobError.bad("callback_url", "\(host.prefix(100)) has no address") }
        for address in addresses where !isPublic(address) {
            throw JobError.bad("callback_url", "\(host.prefix(100)) is a loopback, private or link-local address (\(address.ipAddress ?? "?")); the server only calls public addresses unless started with --allow-private-callbacks")
        }
    }

    private static func resolve(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw JobError.bad("callback_url", "no address") }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            if let raw = entry.pointee.ai_addr {
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    let v4 = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v4, host: host))
                case AF_INET6:
                    let v6 = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v6, host: host))
                default: break
                }
            }
            next = entry.pointee.ai_next
        }
        return addresses
    }

    /// Whether an address is on the public internet: not loopback, private (RFC 1918, unique local),
    /// link-local, carrier-grade NAT, unspecified, multicast or reserved, nor an IPv4 one mapped into IPv6.
    static func isPublic(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4):
            return isPublic(v4: UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
                return isPublic(v4: bytes[12...15].reduce(0) { $0 << 8 | UInt32($1) })
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return false }   // :: and ::1
            if bytes[0] & 0xfe == 0xfc { return false }                 // fc00::/7 unique local
            if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { return false } // fe80::/10 link-local
            if bytes[0] == 0xff { return false }                        // multicast
            if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0d, bytes[3] == 0xb8 { return false } // documentation
            return true
        case .unixDomainSocket:
            return false
        }
    }

    static func isPublic(v4 address: UInt32) -> Bool {
        func within(_ network: UInt32, _ bits: UInt32) -> Bool {
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return address & mask == network & mask
        }
        let blocked: [(UInt32, UInt32)] = [
            (0x0000_0000, 8), (0x0A00_0000, 8), (0x6440_0000, 10), (0x7F00_0000, 8), (0xA9FE_0000, 16),
            (0xAC10_0000, 12), (0xC000_0000, 24), (0xC000_0200, 24), (0xC0A8_0000, 16), (0xC612_0000, 15),
            (0xC633_6400, 24), (0xCB00_7100, 24), (0xE000_0000, 4), (0xF000_0000, 4),
        ]
        return !blocked.contains { within($0.0, $0.1) }
    }
}
