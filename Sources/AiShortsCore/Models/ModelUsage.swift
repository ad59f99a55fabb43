/// What one model cost a run: how often it was loaded and released, how long loading took, and the
/// process's resident memory around those moments. Part of the run report.
public struct ModelUsage: Sendable, Hashable, Codable {
    /// The model's short name (its file name).
    public var name: String
    /// The model file.
    public var path: String
    /// How many times it was loaded.
    public var loads: Int
    /// Seconds spent loading, all loads together.
    public var loadSeconds: Double
    /// Resident bytes of the process just before the last load.
    public var rssBeforeLoad: Int
    /// Resident bytes just after the last load.
    public var rssAfterLoad: Int
    /// How many times it was released.
    public var releases: Int
    /// Resident bytes just after the last release; `nil` while it is loaded.
    public var rssAfterRelease: Int?
    /// How many times a user found it already loaded (or being loaded) and shared it.
    public var sharedUses: Int

    /// Creates an empty record for a model.
    public init(name: String, path: String) {
        self.name = name
        self.path = path
        loads = 0
        loadSeconds = 0
        rssBeforeLoad = 0
        rssAfterLoad = 0
        releases = 0
        rssAfterRelease = nil
        sharedUses = 0
    }
}
