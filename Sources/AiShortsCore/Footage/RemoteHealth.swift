/// What one footage client has learnt about its remotes that must not be asked again: refused keys,
/// URLs that failed, and hosts that stalled.
///
/// Shared by every copy of a ``FootageHTTP`` (it is made per job), so a second search with a refused key,
/// or a later round's fetch of a URL that already failed, costs no request: ``FootageHTTP`` throws the
/// remembered error again, marked ``FootageError/repeated``. A host that stalled or timed out gets one
/// request at a time from then on, so a dead host costs one timeout rather than one per slot.
public actor RemoteHealth {
    private var refusedKeys: [String: FootageError] = [:]
    private var failedURLs: [String: FootageError] = [:]
    private var stalledHosts: Set<String> = []
    private var skipped = 0

    /// Nothing known yet.
    public init() {}

    /// The remembered error for a request to `url` with `keyHint`, or nil when it may be sent.
    ///
    /// Counts every request it stops.
    func verdict(for url: String, keyHint: String?) -> FootageError? {
        var known = keyHint.flatMap { refusedKeys[$0] } ?? failedURLs[url]
        guard known != nil else { return nil }
        skipped += 1
        known?.repeated = true
        return known
    }

    /// Remembers what `error` says about `url`, its `host` and its key.
    ///
    /// - Returns: whether the host just turned out to stall (the caller then limits it to one request).
    func record(_ error: FootageError, url: String, host: String, keyHint: String?) -> Bool {
        guard !error.repeated else { return false }
        if error.code == .unauthorized, let keyHint { refusedKeys[keyHint] = refusedKeys[keyHint] ?? error }
        // A rate limit is about the host's mood now, not about the URL.
        if error.code != .rateLimited { failedURLs[url] = failedURLs[url] ?? error }
        if error.code == .timeout { return stalledHosts.insert(host).inserted }
        return false
    }

    /// Keys refused so far (the variables to set), sorted.
    public var refused: [String] { refusedKeys.keys.sorted() }
    /// Hosts that stalled or timed out, sorted.
    public var stalled: [String] { stalledHosts.sorted() }
    /// Requests not sent because of what was already known.
    public var skippedRequests: Int { skipped }
}
