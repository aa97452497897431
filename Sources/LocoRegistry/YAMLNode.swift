import CYAML
import Foundation

/// A YAML document as the system's libyaml reads it (Debian's `libyaml-dev`, so its security
/// updates reach the parser of files users download). Scalars keep their text; the type a
/// field wants decides how it is read (`YAMLNodeDecoder`), as YAML's own decoders do.
indirect enum YAMLNode {
    case scalar(String, plain: Bool, line: Int)
    case sequence([YAMLNode], line: Int)
    case mapping([(key: String, value: YAMLNode)], line: Int)

    var line: Int {
        switch self {
        case .scalar(_, _, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    /// Nodes in this tree, aliases counted as often as they are used.
    var size: Int {
        switch self {
        case .scalar: 1
        case .sequence(let items, _): 1 + items.reduce(0) { $0 + $1.size }
        case .mapping(let pairs, _): 1 + pairs.reduce(0) { $0 + 1 + $1.value.size }
        }
    }

    /// Limits for files someone else may have written.
    struct Limits {
        /// Nodes after aliases are expanded: a "billion laughs" bomb stops here.
        var maxNodes = 100_000
        /// Collections inside collections.
        var maxDepth = 64
    }

    enum Problem: Error {
        case syntax(String)
        case tooManyNodes
        case tooDeep(line: Int)
    }

    /// The first document of `text`; nil when it has none.
    static func parse(_ text: String, limits: Limits = Limits()) throws -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Problem.syntax("cannot start the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = Builder(limits: limits)
            return try builder.run(&parser)
        }
    }

    /// Turns libyaml's events into nodes, expanding aliases within the limits.
    private struct Builder {
        enum Open {
            case sequence([YAMLNode], line: Int, anchor: String?)
            case mapping([(key: String, value: YAMLNode)], pendingKey: String?, line: Int, anchor: String?)
        }

        let limits: Limits
        var stack: [Open] = []
        /// Anchored nodes and their sizes, aliases expanded.
        var anchors: [String: (node: YAMLNode, size: Int)] = [:]
        var nodes = 0
        var root: YAMLNode?

        init(limits: Limits) { self.limits = limits }

        mutating func run(_ parser: inout yaml_parser_t) throws -> YAMLNode? {
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
                    throw Problem.syntax("line \(parser.problem_mark.line + 1): \(problem)")
                }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    let node = YAMLNode.scalar(value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line)
                    try add(node, anchor: Builder.string(scalar.anchor), size: 1)
                case YAML_SEQUENCE_START_EVENT:
                    try open(.sequence([], line: line, anchor: Builder.string(event.data.sequence_start.anchor)), line: line)
                case YAML_MAPPING_START_EVENT:
                    try open(.mapping([], pendingKey: nil, line: line, anchor: Builder.string(event.data.mapping_start.anchor)), line: line)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let (node, anchor) = close(stack.removeLast())
                    try add(node, anchor: anchor, size: 0)
                case YAML_ALIAS_EVENT:
                    let name = Builder.string(event.data.alias.anchor) ?? ""
                    guard let (node, size) = anchors[name] else { throw Problem.syntax("line \(line): unknown alias *\(name)") }
                    try add(node, anchor: nil, size: size)
                case YAML_DOCUMENT_END_EVENT, YAML_STREAM_END_EVENT:
                    return root
                default:
                    continue
                }
            }
        }

        mutating func open(_ collection: Open, line: Int) throws {
            guard stack.count < limits.maxDepth else { throw Problem.tooDeep(line: line) }
            nodes += 1
            guard nodes <= limits.maxNodes else { throw Problem.tooManyNodes }
            stack.append(collection)
        }

        func close(_ open: Open) -> (YAMLNode, String?) {
            switch open {
            case .sequence(let items, let line, let anchor): (.sequence(items, line: line), anchor)
            case .mapping(let pairs, _, let line, let anchor): (.mapping(pairs, line: line), anchor)
            }
        }

        /// Puts a finished node where it belongs: the document, a sequence, a mapping's key or value.
        mutating func add(_ node: YAMLNode, anchor: String?, size: Int) throws {
            nodes += size
            guard nodes <= limits.maxNodes else { throw Problem.tooManyNodes }
            if let anchor { anchors[anchor] = (node, node.size) }
            guard let top = stack.popLast() else {
                root = root ?? node
                return
            }
            switch top {
            case .sequence(var items, let line, let anchor):
                items.append(node)
                stack.append(.sequence(items, line: line, anchor: anchor))
            case .mapping(var pairs, let pending, let line, let anchor):
                if let pending {
                    pairs.append((pending, node))
                    stack.append(.mapping(pairs, pendingKey: nil, line: line, anchor: anchor))
                } else {
                    guard case .scalar(let key, _, _) = node else { throw Problem.syntax("line \(node.line): a mapping key must be plain text") }
                    if pairs.contains(where: { $0.key == key }) { throw Problem.syntax("line \(node.line): duplicate key '\(key)'") }
                    stack.append(.mapping(pairs, pendingKey: key, line: line, anchor: anchor))
                }
            }
        }

        static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}
