import AiShortsCore
import Foundation
import Testing

@Suite("webhook signatures and callback addresses")
struct WebhookSignatureTests {
    @Test func aSignatureCoversTheTimeAndTheBody() {
        let body = Data(#"{"event":"job.succeeded"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let header = WebhookSignature.sign(body, secret: "s3cret-s3cret-s3cret", at: now)
        #expect(header.hasPrefix("t=1800000000,v1="))
        #expect(header.count == "t=1800000000,v1=".count + 64, "hex SHA-256")
        #expect(WebhookSignature.verify(header, body: body, secret: "s3cret-s3cret-s3cret", now: now))
        #expect(!WebhookSignature.verify(header, body: body, secret: "another-secret-here", now: now))
        #expect(!WebhookSignature.verify(header, body: body + Data("x".utf8), secret: "s3cret-s3cret-s3cret", now: now))
        #expect(!WebhookSignature.verify(header, body: body, secret: "s3cret-s3cret-s3cret", now: now.addingTimeInterval(301)), "a replay after 5 minutes is refused")
        let otherTime = header.replacingOccurrences(of: "t=1800000000", with: "t=1800000001")
        #expect(!WebhookSignature.verify(otherTime, body: body, secret: "s3cret-s3cret-s3cret", now: now), "the time is signed")
    }

    @Test(arguments: [
        ("http://example.com/hook", true), ("https://hooks.example.com:8443/x?y=1", true),
        ("ftp://example.com/", false), ("http:///nohost", false), ("http://user:pw@example.com/", false), ("not a url", false),
    ])
    func onlyHTTPAddressesWithAHostAndNoCredentials(text: String, accepted: Bool) {
        #expect(((try? CallbackURL.parse(text)) != nil) == accepted, "\(text)")
    }

    @Test func privateAddressesAreRefusedUnlessAllowed() async throws {
        for text in ["http://127.0.0.1/", "http://10.0.0.8/", "http://172.16.5.4/", "http://192.168.1.1/", "http://169.254.169.254/",
                     "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost/"] {
            let url = try CallbackURL.parse(text)
            await #expect(throws: JobError.self, "\(text)") { try await CallbackURL.checkReachable(url, allowPrivate: false) }
            try await CallbackURL.checkReachable(url, allowPrivate: true)
        }
        for text in ["http://93.184.216.34/", "http://[2606:2800:220:1::1]/", "http://8.8.8.8:8080/"] {
            try await CallbackURL.checkReachable(try CallbackURL.parse(text), allowPrivate: false)
        }
    }
}
