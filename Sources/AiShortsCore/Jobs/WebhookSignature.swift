import Crypto
public import Foundation

/// The `X-AiShorts-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
///
/// The time is inside the signed text, so a receiver that rejects old timestamps also rejects a
/// replayed request.
public enum WebhookSignature {
    /// The header's name.
    public static let header = "X-AiShorts-Signature"

    /// The header's value for `body` sent at `date`.
    public static func sign(_ body: Data, secret: String, at date: Date) -> String {
        let time = Int(date.timeIntervalSince1970)
        return "t=\(time),v1=\(mac(body, secret: secret, time: time))"
    }

    /// Whether `header` signs `body` with `secret`, at most `tolerance` seconds from `now`.
    public static func verify(_ header: String, body: Data, secret: String, now: Date = Date(), tolerance: TimeInterval = 300) -> Bool {
        var time: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { time = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let time, abs(now.timeIntervalSince1970 - Double(time)) <= tolerance else { return false }
        let expected = Array(mac(body, secret: secret, time: time).utf8)
        // Compared without an early exit, so timing does not say how much of a guess was right.
        return signatures.contains { candidate in
            let bytes = Array(candidate.utf8)
            guard bytes.count == expected.count else { return false }
            return zip(bytes, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    private static func mac(_ body: Data, secret: String, time: Int) -> String {
        var signed = Data("\(time).".utf8)
        signed.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
