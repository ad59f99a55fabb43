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
        let spec: JobSpec
        let overrides = self.overrides
        do throws(SpecError) {
            var root = try JobSpec.compose(yaml: specText, file: "spec")
            // Options replace the spec's own fields in the tree; the spec's lines keep their numbers.
            if !overrides.isEmpty, case .mapping(var mapping) = root {
                for (key, value) in overrides { mapping[Node(key)] = Self.node(value) }
                root = .mapping(mapping)
            }
            spec = try JobSpec.parse(root: root, file: "spec", paths: paths)
        } catch {
            if let field = error.field, overrides.keys.contains(where: { field == $0 || field.hasPrefix($0 + ".") || field.hasPrefix($0 + "[") }) {
                let option = field.replacingOccurrences(of: "music.file", with: "music.upload")
                throw JobError(.badRequest, "\(option): \(error.message)", field: option)
            }
            throw JobError(spec: error)
        }
        return try finish(spec, output: output)
    }

    private func finish(_ resolved: JobSpec, output: URL) throws(JobError) -> JobSpec {
        var spec = resolved
        if let preset { spec.output.preset = preset }
        guard spec.scenes.count <= Self.maxScenes else {
            throw JobError.bad("spec.scenes", "has \(spec.scenes.count) scenes; a job may have at most \(Self.maxScenes)")
        }
        spec.output.path = output
        return spec
    }

    /// A YAML node for an option's plain value: text, a number, a flag, a list or an object.
    static func node(_ value: Any) -> Node {
        switch value {
        case let dictionary as [String: Any]:
            return .mapping(Node.Mapping(dictionary.sorted { $0.key < $1.key }.map { (Node($0.key), node($0.value)) }))
        case let array as [Any]:
            return .sequence(Node.Sequence(array.map(node)))
        case let text as String:
            return .scalar(Node.Scalar(text, .implicit, .doubleQuoted))
        case let number as NSNumber:
            let text = String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : number.stringValue
            return .scalar(Node.Scalar(text, .implicit, .plain))
        case let number as Double:
            return .scalar(Node.Scalar(String(number), .implicit, .plain))
        default:
            return .scalar(Node.Scalar("null", .implicit, .plain))
        }
    }
}
