import Foundation

/// A model found in the model folders, as `aishorts models` lists it.
public struct InstalledModel: Sendable, Hashable, Codable {
    /// The family: `hibari`, `piper`, `kokoro`, `embedding` or `clip`.
    public var family: String
    /// Its name within the family (`heart`, `en_US-joe-medium`, a CLIP folder's name).
    public var name: String
    /// The folder (hibari, clip) or `.onnx` file (piper).
    public var location: String
    /// Bytes on disk (a folder's files added up; a Piper voice's `.onnx` and `.onnx.json`).
    public var bytes: Int

    /// Creates an entry.
    public init(family: String, name: String, location: String, bytes: Int) {
        self.family = family
        self.name = name
        self.location = location
        self.bytes = bytes
    }
}
