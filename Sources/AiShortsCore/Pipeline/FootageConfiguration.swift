public import Foundation

/// Machine-wide footage settings that do not belong in a spec: API keys, endpoints, site delays, the
/// media cache's size.
///
/// Read from the environment by ``fromEnvironment(_:)``; tests and the benchmark point the endpoints
/// at loopback servers.
public struct FootageConfiguration: Sendable, Hashable {
    /// The Pexels API key (`PEXELS_API_KEY`); Pexels is skipped without one.
    public var pexelsKey: String?
    /// The Pixabay API key (`PIXABAY_API_KEY`); Pixabay is skipped without one.
    public var pixabayKey: String?
    /// The Pexels API's base URL (`AISHORTS_PEXELS_URL`, default `https://api.pexels.com`).
    public var pexelsURL: URL
    /// The Pixabay API's base URL (`AISHORTS_PIXABAY_URL`, default `https://pixabay.com`).
    public var pixabayURL: URL
    /// Seconds between the starts of two requests to YouTube (`AISHORTS_YOUTUBE_DELAY`, default 2);
    /// other work goes on meanwhile.
    public var youtubeDelay: Double
    /// The most downloaded media kept in the cache, in bytes (`AISHORTS_FOOTAGE_CACHE_MB`, default 4096).
    public var mediaCacheBytes: Int64
    /// Seconds a whole request may take before the source counts as too slow.
    public var requestTimeout: Double

    /// Creates a configuration.
    public init(
        pexelsKey: String? = nil, pixabayKey: String? = nil,
        pexelsURL: URL = URL(string: "https://api.pexels.com")!, pixabayURL: URL = URL(string: "https://pixabay.com")!,
        youtubeDelay: Double = 2, mediaCacheBytes: Int64 = 4 << 30, requestTimeout: Double = 60
    ) {
        self.pexelsKey = pexelsKey
        self.pixabayKey = pixabayKey
        self.pexelsURL = pexelsURL
        self.pixabayURL = pixabayURL
        self.youtubeDelay = youtubeDelay
        self.mediaCacheBytes = mediaCacheBytes
        self.requestTimeout = requestTimeout
    }

    /// The configuration the environment describes.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        var configuration = FootageConfiguration(pexelsKey: value("PEXELS_API_KEY"), pixabayKey: value("PIXABAY_API_KEY"))
        if let url = value("AISHORTS_PEXELS_URL").flatMap(URL.init(string:)) { configuration.pexelsURL = url }
        if let url = value("AISHORTS_PIXABAY_URL").flatMap(URL.init(string:)) { configuration.pixabayURL = url }
        if let delay = value("AISHORTS_YOUTUBE_DELAY").flatMap(Double.init), delay >= 0 { configuration.youtubeDelay = delay }
        if let megabytes = value("AISHORTS_FOOTAGE_CACHE_MB").flatMap(Int64.init), megabytes > 0 {
            configuration.mediaCacheBytes = megabytes << 20
        }
        return configuration
    }
}
