/// What the footage stage did for a job: which scorer ranked, what was searched, fetched and avoided.
public struct FootageReport: Sendable, Hashable, Codable {
    /// The scorer that ranked candidates (`clip (…)` or `metadata`).
    public var scorer: String
    /// Why that scorer, when it is not the best one (no CLIP model installed).
    public var scorerNote: String?
    /// Searches asked (source × phrase), and how many the cache answered.
    public var searches: CacheCount
    /// Thumbnails needed, and how many the cache had.
    public var thumbnails: CacheCount
    /// Distinct candidates found across sources and scenes.
    public var candidates: Int
    /// Media downloads needed, and how many the cache had.
    public var downloads: CacheCount
    /// Remote candidates not downloaded because their thumbnails ranked them out.
    public var downloadsAvoided: Int
    /// Network requests made by the stage (0 on a fully cached rerun), by host.
    public var requests: [String: Int]
    /// Sources that failed, one line each (the job went on without them).
    public var problems: [String]
    /// What refreshing the library's index found, when the job searched a library with one.
    public var library: LibraryIndexCount?

    /// Creates a report.
    public init(
        scorer: String, scorerNote: String? = nil, searches: CacheCount = CacheCount(), thumbnails: CacheCount = CacheCount(),
        candidates: Int = 0, downloads: CacheCount = CacheCount(), downloadsAvoided: Int = 0, requests: [String: Int] = [:],
        problems: [String] = []
    ) {
        self.scorer = scorer
        self.scorerNote = scorerNote
        self.searches = searches
        self.thumbnails = thumbnails
        self.candidates = candidates
        self.downloads = downloads
        self.downloadsAvoided = downloadsAvoided
        self.requests = requests
        self.problems = problems
    }

    /// All requests.
    public var requestCount: Int { requests.values.reduce(0, +) }
}

/// How a job's library folders compared with their index: files found, and how many had to be read.
public struct LibraryIndexCount: Sendable, Hashable, Codable {
    /// Media files in the folders.
    public var files: Int
    /// New or changed files, hashed in this job.
    public var hashed: Int
    /// Files known to the index, not read at all.
    public var unchanged: Int
    /// Indexed files that are gone.
    public var removed: Int

    /// The counts of a refresh.
    public init(_ scan: LibraryScan) {
        self.init(files: scan.files.count, hashed: scan.hashed, unchanged: scan.unchanged, removed: scan.removed)
    }

    /// Counts as given.
    public init(files: Int, hashed: Int, unchanged: Int, removed: Int) {
        self.files = files
        self.hashed = hashed
        self.unchanged = unchanged
        self.removed = removed
    }
}
