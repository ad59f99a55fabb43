public import Foundation
import SwiftCSV
import Yams

/// A list of shorts to make: a YAML manifest (`defaults` and `shorts`) or a CSV file (one row per
/// short, the same keys as columns), checked whole before anything runs.
///
/// Entry keys are the options of `POST /api/v1/jobs` plus `output`. In a manifest read from disk,
/// `script` and `spec` name files relative to the manifest (their content is what is sent); in one
/// posted to the server they are the text itself, since a client may not name the server's files.
public struct BatchManifest: Sendable {
    /// The entries, in the manifest's order.
    public var entries: [BatchEntry]

    /// The keys an entry (or `defaults`) may have.
    public static let keys = JobRequest.keys.filter { $0 != "draft" } + ["output"]

    /// Reads a manifest file (`.yaml`, `.yml`, `.json` or `.csv`).
    /// - Parameter outputDirectory: where outputs go (default: the manifest's folder).
    /// - Throws: ``BatchError`` naming the entry, its line and the field.
    public static func load(_ file: URL, outputDirectory: URL? = nil) throws(BatchError) -> BatchManifest {
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw BatchError("cannot read \(file.path); check the path")
        }
        let base = file.deletingLastPathComponent()
        let rows = file.pathExtension.lowercased() == "csv" ? try csvRows(text) : try yamlRows(text)
        return try BatchManifest(rows: rows, files: base, outputDirectory: outputDirectory ?? base)
    }

    /// Reads a manifest sent to the server (YAML or JSON text): `script` and `spec` are text.
    /// - Throws: ``BatchError`` naming the entry, its line and the field.
    public static func parse(_ text: String) throws(BatchError) -> BatchManifest {
        try BatchManifest(rows: try yamlRows(text), files: nil, outputDirectory: nil)
    }

    /// One entry before it is checked: its fields, where it starts, and the defaults under it.
    struct Row {
        var fields: [String: Any]
        var line: Int
    }

    init(rows: [Row], files: URL?, outputDirectory: URL?) throws(BatchError) {
        guard !rows.isEmpty else { throw BatchError("the manifest has no shorts; list them under `shorts:` (or one CSV row each)") }
        guard rows.count <= 1000 else { throw BatchError("the manifest has \(rows.count) shorts; split it into manifests of at most 1000") }
        var entries: [BatchEntry] = []
        var outputs: [String: Int] = [:]
        for (index, row) in rows.enumerated() {
            let entry = try BatchEntry(index: index, line: row.line, fields: row.fields, files: files, outputDirectory: outputDirectory)
            if let output = entry.output {
                if let first = outputs[output.path] {
                    throw BatchError("two shorts write \(output.lastPathComponent) (entries \(first + 1) and \(index + 1)); give each its own output",
                                     entry: index, line: row.line, field: "output")
                }
                outputs[output.path] = index
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    static func yamlRows(_ text: String) throws(BatchError) -> [Row] {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw BatchError("the manifest is not valid YAML: \(String(describing: error).oneLine)")
        }
        guard let root = node?.mapping else {
            throw BatchError("the manifest must be a mapping with `shorts:` (a list) and optional `defaults:`")
        }
        var defaults: [String: Any] = [:]
        var shorts: Node.Sequence?
        for (key, value) in root {
            switch key.string {
            case "defaults":
                guard let mapping = value.mapping else { throw BatchError("defaults: expected a mapping of options", line: value.mark?.line, field: "defaults") }
                defaults = object(mapping)
                if let bad = defaults.keys.first(where: { !keys.contains($0) || ["output", "topic", "category", "script", "spec"].contains($0) }) {
                    throw BatchError("defaults.\(bad): not an option every short can share; allowed: \(keys.filter { !["output", "topic", "category", "script", "spec"].contains($0) }.joined(separator: ", "))",
                                     line: value.mark?.line, field: "defaults.\(bad)")
                }
            case "shorts":
                guard let sequence = value.sequence else { throw BatchError("shorts: expected a list of shorts", line: value.mark?.line, field: "shorts") }
                shorts = sequence
            default:
                throw BatchError("unknown top-level key \"\(key.string ?? "?")\"; a manifest has defaults and shorts", line: key.mark?.line, field: key.string)
            }
        }
        guard let shorts else { throw BatchError("the manifest has no `shorts:` list") }
        var rows: [Row] = []
        for (index, item) in shorts.enumerated() {
            guard let mapping = item.mapping else {
                throw BatchError("expected a mapping such as {script: bees.txt, output: bees.mp4}", entry: index, line: item.mark?.line)
            }
            rows.append(Row(fields: defaults.merging(object(mapping)) { $1 }, line: item.mark?.line ?? 0))
        }
        return rows
    }

    static func csvRows(_ text: String) throws(BatchError) -> [Row] {
        let csv: CSV<Enumerated>
        do { csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false) } catch {
            throw BatchError("the CSV cannot be read: \(String(describing: error).oneLine)")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [Row] = []
        for (index, cells) in csv.rows.enumerated() {
            var fields: [String: Any] = [:]
            for (column, cell) in zip(header, cells) where !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                fields[column] = scalar(cell, plain: true)
            }
            if fields.isEmpty { continue }
            // Line 1 is the header; a row's line is its place after it (cells spanning lines are rare).
            rows.append(Row(fields: fields, line: index + 2))
        }
        return rows
    }

    static func object(_ mapping: Node.Mapping) -> [String: Any] {
        var fields: [String: Any] = [:]
        for (key, value) in mapping { fields[key.string ?? ""] = self.value(value) }
        return fields
    }

    static func value(_ node: Node) -> Any {
        switch node {
        case .scalar(let node): scalar(node.string, plain: node.style == .plain)
        case .mapping(let mapping): object(mapping)
        case .sequence(let sequence): sequence.map(value)
        case .alias: NSNull()
        }
    }

    /// A YAML core-schema scalar: null, a flag, a number, else text; quoted scalars stay text.
    static func scalar(_ text: String, plain: Bool) -> Any {
        guard plain else { return text }
        switch text {
        case "", "~", "null", "Null", "NULL": return NSNull()
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            if let integer = Int(text) { return integer }
            if let number = Double(text), number.isFinite, text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return number }
            return text
        }
    }
}

extension BatchManifest {
    /// Checks every entry as the desk will when it is submitted (spec fields, files confined to the
    /// desk's folders, an LLM for topics), so that a manifest with an error runs nothing.
    /// - Throws: ``BatchError`` naming the first entry at fault.
    public func check(with desk: JobDesk) async throws(BatchError) {
        for entry in entries {
            do {
                try await desk.check(try JobRequest.parse(json: entry.body))
            } catch let error as JobError {
                throw BatchError(error.message, entry: entry.index, line: entry.line, field: error.field)
            } catch {
                throw BatchError(String(describing: error), entry: entry.index, line: entry.line)
            }
        }
    }
}
