public import Foundation
import Yams

extension JobRequest {
    /// The spec text a request starts from when it needs no LLM: the client's spec, or its script
    /// turned into scenes. `nil` for a topic or category (the LLM writes it).
    /// - Throws: ``JobError`` (`badRequest`) for an empty script.
    public func initialSpec() throws(JobError) -> String? {
        switch source {
        case .topic, .category:
            return nil
        case .spec(let text):
            return text
        case .script(let text):
            do {
                let spec = try JobSpec.fromScript(text, file: "script", title: title, output: URL(fileURLWithPath: "/video.mp4"))
                return spec.yaml(includingOutputPath: false)
            } catch {
                throw JobError(.badRequest, "script: \(error.message)", field: "script")
            }
        }
    }

    /// The spec to render: `specText` with this request's options on top, its files resolved and
    /// confined by `paths`, its video going to `output`.
    ///
    /// - Throws: ``JobError`` (`badRequest`) naming the field: `spec.scenes[1].media[0]` for the
    ///   spec's own fields, the option's name (`music.upload`) for an option.
    public func resolve(specText: String, paths: SpecPaths, output: URL) throws(JobError) -> JobSpec {
        var spec: JobSpec
        let overrides = self.overrides
        if overrides.isEmpty {
            spec = try Self.parse(specText, paths: paths)
        } else {
            // Options replace the spec's own fields: merge them into the document, then parse it.
            // The merged text is JSON, which YAML reads; errors still name the field.
            let document: Any?
            do { document = try Yams.load(yaml: specText) } catch {
                _ = try Self.parse(specText, paths: paths)
                throw JobError(.badRequest, "spec: not valid YAML", field: "spec")
            }
            guard var fields = document as? [String: Any] else {
                _ = try Self.parse(specText, paths: paths)
                throw JobError(.badRequest, "spec: expected a mapping of fields", field: "spec")
            }
            for (key, value) in overrides { fields[key] = value }
            guard let data = try? JSONSerialization.data(withJSONObject: Self.plain(fields), options: [.sortedKeys]) else {
                throw JobError(.badRequest, "spec: holds values that are not plain text, numbers or lists", field: "spec")
            }
            do {
                spec = try JobSpec.parse(yaml: String(decoding: data, as: UTF8.self), file: "spec", paths: paths)
            } catch {
                if let field = error.field, overrides.keys.contains(where: { field == $0 || field.hasPrefix($0 + ".") || field.hasPrefix($0 + "[") }) {
                    let option = field.replacingOccurrences(of: "music.file", with: "music.upload")
                    throw JobError(.badRequest, "\(option): \(error.message)", field: option)
                }
                throw JobError(spec: error)
            }
        }
        if let preset { spec.output.preset = preset }
        guard spec.scenes.count <= Self.maxScenes else {
            throw JobError.bad("spec.scenes", "has \(spec.scenes.count) scenes; a job may have at most \(Self.maxScenes)")
        }
        spec.output.path = output
        return spec
    }

    private static func parse(_ text: String, paths: SpecPaths) throws(JobError) -> JobSpec {
        do { return try JobSpec.parse(yaml: text, file: "spec", paths: paths) } catch { throw JobError(spec: error) }
    }

    /// YAML values made JSON-serialisable (dates and other scalars become text).
    private static func plain(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues(plain)
        case let array as [Any]: return array.map(plain)
        case is String, is Int, is Double, is Bool, is NSNull: return value
        default: return String(describing: value)
        }
    }
}
