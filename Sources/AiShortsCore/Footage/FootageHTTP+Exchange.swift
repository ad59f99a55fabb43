import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// When a transfer last received bytes, read by the watchdog while the transfer writes it.
///
/// Sendable without locks: its only state is an atomic.
final class TransferBeat: Sendable {
    private let origin = ContinuousClock.now
    private let lastNanoseconds = Atomic<Int64>(0)

    /// Records that bytes (or the response head) arrived now.
    func touch() {
        lastNanoseconds.store(Self.nanoseconds(origin.duration(to: .now)), ordering: .relaxed)
    }

    /// Seconds since the last ``touch()`` (or since creation).
    var idleSeconds: Double {
        let now = Self.nanoseconds(origin.duration(to: .now))
        return Double(now - lastNanoseconds.load(ordering: .relaxed)) / 1e9
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}

extension FootageHTTP {
    enum Outcome<T: Sendable>: Sendable {
        case done(T)
        case retry(after: Double?, FootageError)
    }

    /// Paces, limits, counts and retries one logical request; `exchange` reads a 2xx answer.
    func perform<T: Sendable>(
        _ url: URL, headers: [String: String], keyHint: String?, timeout: Double, isDownload: Bool,
        exchange: @escaping @Sendable (HTTPClientResponse, TransferBeat) async throws -> T
    ) async throws -> T {
        let host = Self.authority(of: url)
        let key = url.absoluteString
        do {
            return try await attempts(url, host: host, headers: headers, keyHint: keyHint, timeout: timeout, isDownload: isDownload, exchange: exchange)
        } catch let error as FootageError {
            if await health.record(error, url: key, host: host, keyHint: keyHint) {
                await limiter.restrict(host, to: 1)
            }
            throw error
        }
    }

    /// The attempts of one request; nothing is sent when ``health`` already knows the answer.
    private func attempts<T: Sendable>(
        _ url: URL, host: String, headers: [String: String], keyHint: String?, timeout: Double, isDownload: Bool,
        exchange: @escaping @Sendable (HTTPClientResponse, TransferBeat) async throws -> T
    ) async throws -> T {
        let key = url.absoluteString
        var attempt = 1
        while true {
            if let known = await health.verdict(for: key, keyHint: keyHint) { throw known }
            try await pacer.waitTurn(host)
            let outcome = try await limiter.withSlot(for: host) {
                // Checked again holding the slot: a request queued behind one that was just refused is not sent.
                if let known = await health.verdict(for: key, keyHint: keyHint) { throw known }
                await counter?.record(host: host)
                return try await once(url, headers: headers, keyHint: keyHint, timeout: timeout, isDownload: isDownload, exchange: exchange)
            }
            switch outcome {
            case .done(let value):
                return value
            case .retry(let after, let error):
                if let after, after > retry.maxDelay {
                    throw FootageError(.rateLimited, file: Self.redacted(url), message: "\(host) asks to wait \(Int(after.rounded(.up))) s before the next request (HTTP 429), longer than the \(Int(retry.maxDelay)) s AiShorts waits; try again later, or use other footage sources")
                }
                guard attempt < retry.maxAttempts else { throw error }
                // No slot is held while sleeping: other requests to this host may go on. The pacer's clock,
                // so a test decides when the wait is over.
                try await pacer.clock.sleep(for: .seconds(retry.delay(after: attempt, retryAfter: after)))
                attempt += 1
            }
        }
    }

    /// One attempt, raced against the watchdog (whole-request limit and idle limit).
    private func once<T: Sendable>(
        _ url: URL, headers: [String: String], keyHint: String?, timeout: Double, isDownload: Bool,
        exchange: @escaping @Sendable (HTTPClientResponse, TransferBeat) async throws -> T
    ) async throws -> Outcome<T> {
        var prepared = HTTPClientRequest(url: url.absoluteString)
        prepared.headers.add(name: "User-Agent", value: "AiShorts (footage)")
        for (name, value) in headers { prepared.headers.add(name: name, value: value) }
        let request = prepared
        let beat = TransferBeat()
        let client = self.client
        let idle = settings.idleTimeout
        let retry = self.retry
        return try await withThrowingTaskGroup(of: Outcome<T>?.self) { group in
            group.addTask {
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                } catch {
                    let outcome: Outcome<T> = try Self.transportOutcome(error, url: url, timeout: timeout)
                    return outcome
                }
                beat.touch()
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    return .done(try await exchange(response, beat))
                }
                let retryAfter = response.headers.first(name: "Retry-After")
                // Drain a little of the body so the connection can be reused; the text is not needed.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                let outcome: Outcome<T> = try Self.statusOutcome(
                    status, url: url, retryAfter: retryAfter, keyHint: keyHint, isDownload: isDownload, attempts: retry.maxAttempts
                )
                return outcome
            }
            group.addTask {
                try await Self.watchdog(beat, idle: idle, total: timeout, url: url)
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let outcome { return outcome }
            }
            throw CancellationError()
        }
    }

    /// Throws ``FootageError/Code-swift.struct/timeout`` when the request runs past `total` seconds or
    /// receives nothing for `idle` seconds; runs until cancelled otherwise.
    static func watchdog(_ beat: TransferBeat, idle: Double, total: Double, url: URL) async throws {
        let started = ContinuousClock.now
        let step = max(min(idle, total) / 8, 0.02)
        while true {
            try await Task.sleep(for: .milliseconds(Int64(step * 1000)))
            let safe = redacted(url)
            if started.duration(to: .now).inSeconds > total {
                throw FootageError(.timeout, file: safe, message: "\(safe) did not finish within \(format(total)) s; the host is slow or down, try again later")
            }
            if beat.idleSeconds > idle {
                throw FootageError(.timeout, file: safe, message: "\(safe) sent nothing for \(format(idle)) s; the host is stalled, try again later")
            }
        }
    }

    /// What a thrown transport error means: cancellation, a timeout, or an unreachable host (retried).
    static func transportOutcome<T>(_ error: any Error, url: URL, timeout: Double) throws -> Outcome<T> {
        try Task.checkCancellation()
        let safe = redacted(url)
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout {
                throw FootageError(.timeout, file: safe, message: "\(safe) did not answer within \(format(timeout)) s; the host is slow or down, try again later")
            }
            if error == .cancelled { throw CancellationError() }
        }
        return .retry(after: nil, FootageError(.downloadFailed, file: safe, message: "cannot reach \(safe) (\(describe(error))); check the network connection and the source's base URL"))
    }

    /// What a non-2xx status means: retry (429, 5xx), or an error the user must fix.
    static func statusOutcome<T>(_ status: Int, url: URL, retryAfter: String?, keyHint: String?, isDownload: Bool, attempts: Int) throws -> Outcome<T> {
        let safe = redacted(url)
        let host = authority(of: url)
        switch status {
        case 429:
            let seconds = retryAfter.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? retryAfter.flatMap(OpenAIChatClient.httpDateDelay)
            return .retry(after: seconds, FootageError(.rateLimited, file: safe, message: "\(host) kept rate-limiting requests (HTTP 429) after \(attempts) attempts; wait a few minutes and try again"))
        case 500...599:
            return .retry(after: nil, FootageError(.serverError, file: safe, message: "\(safe) failed with HTTP \(status) after \(attempts) attempts; the site is having trouble, try again later"))
        case 401, 403:
            let what = keyHint.map { "set \($0) to a valid key" } ?? "check the source's API key"
            throw FootageError(.unauthorized, file: safe, message: "\(host) refused the API key (HTTP \(status)); \(what)")
        default:
            let code: FootageError.Code = isDownload ? .downloadFailed : .badResponse
            throw FootageError(code, file: safe, message: "\(safe) answered HTTP \(status); the file or endpoint is not there, check the source's base URL")
        }
    }

    /// Writes the body to a temporary file beside `destination`, checks its length, renames it into place.
    static func stream(_ response: HTTPClientResponse, from url: URL, to destination: URL, cap: Int64, beat: TransferBeat) async throws -> Int64 {
        let safe = redacted(url)
        let expected = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        if let expected, expected > cap {
            throw FootageError(.downloadFailed, file: safe, message: "\(safe) is \(expected >> 20) MB, more than the \(cap >> 20) MB limit; choose a smaller variant")
        }
        let folder = destination.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = try? FileHandle(forWritingTo: temporary) else {
            throw FootageError(.downloadFailed, file: destination.path, message: "cannot write \(temporary.path); check that the folder exists and is writable")
        }
        var written: Int64 = 0
        do {
            defer { try? handle.close() }
            do {
                for try await buffer in response.body {
                    beat.touch()
                    written += Int64(buffer.readableBytes)
                    guard written <= cap else {
                        throw FootageError(.downloadFailed, file: safe, message: "\(safe) is larger than the \(cap >> 20) MB limit; choose a smaller variant")
                    }
                    try handle.write(contentsOf: Data(buffer.readableBytesView))
                }
            } catch let error as FootageError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try Task.checkCancellation()
                throw FootageError(.truncated, file: safe, message: "the download of \(safe) broke off after \(written) bytes (\(describe(error))); try again later")
            }
            if let expected, written != expected {
                throw FootageError(.truncated, file: safe, message: "the download of \(safe) ended after \(written) of \(expected) bytes; try again later")
            }
            try handle.close()
            guard rename(temporary.path, destination.path) == 0 else {
                throw FootageError(.downloadFailed, file: destination.path, message: "cannot move the download into \(destination.path) (errno \(errno)); check the folder's permissions")
            }
            return written
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    /// A short description of a transport error for messages.
    static func describe(_ error: any Error) -> String {
        String(String(describing: error).prefix(160))
    }
}
