internal import ToolRuntime

/// Maps a compiled-valid JSON Schema to Swift declarations.
///
/// Every schema gets a type: what has a natural Swift shape gets it (objects with `properties` →
/// structs, string `enum`s → enums, `items` → arrays, a `null` alternative → optional), and what
/// has none (`oneOf` of objects, `patternProperties`, tuples, recursive `$ref`, several types) becomes
/// `JSONValue` with a note saying why. The runtime validates against the full schema before
/// decoding, so a fallback loses typing, never checking.
struct SchemaTranslator {
    /// The tools file name, for `- Remark: Generated from` lines.
    let fileName: String
    /// The local `$defs` of the tool being translated; `nil` outside one.
    var definitions: Definitions? = nil

    /// The scope a nested type is declared in: the names already taken there and the declarations.
    struct Scope {
        var takenTypeNames: Set<String>
        var nestedTypes: [NestedDeclaration] = []

        init(enclosingName: String) {
            takenTypeNames = [enclosingName]
        }

        /// A unique nested type name; one that would shadow a type the code uses gets a `Value` suffix.
        mutating func declare(_ suggested: String) -> String {
            let base = SwiftNaming.reservedTypeNames.contains(suggested) ? suggested + "Value" : suggested
            return SwiftNaming.unique(base, in: &takenTypeNames)
        }
    }

    func source(_ path: JSONPointer) -> String { "\(fileName)#\(path)" }

    /// The struct for an object schema with (possibly empty) `properties`.
    func structure(named name: String, schema: JSONObject, path: JSONPointer) -> StructDeclaration {
        var scope = Scope(enclosingName: name)
        let isToolRoot = definitions?.ownerName == name && definitions?.rootPath == path
        if isToolRoot { _ = scope.declare(Definitions.namespaceName) }
        var declaration = StructDeclaration(name: name, documentation: documentation(of: schema, path: path))
        let required = Set(schema["required"]?.array?.compactMap(\.string) ?? [])
        var takenMembers: Set<String> = []
        let properties = schema["properties"]?.object ?? JSONObject()
        for jsonName in properties.keys {
            guard let propertySchema = properties[jsonName] else { continue }
            let propertyPath = path / "properties" / jsonName
            let swiftName = SwiftNaming.unique(SwiftNaming.memberName(jsonName), in: &takenMembers)
            var (type, notes) = self.type(
                of: propertySchema,
                path: propertyPath,
                suggestedName: SwiftNaming.upperCamel(jsonName),
                scope: &scope
            )
            if !required.contains(jsonName) { type = type.optional }
            var doc = documentation(of: propertySchema.object ?? JSONObject(), path: propertyPath)
            doc.notes += notes
            declaration.properties.append(
                PropertyDeclaration(swiftName: swiftName, jsonName: jsonName, type: type, documentation: doc)
            )
        }
        if schema["patternProperties"] != nil || isSchema(schema["additionalProperties"]) {
            declaration.documentation.notes.append(
                "Members beyond the declared properties are validated at runtime but not kept in this type."
            )
        }
        for keyword in ["oneOf", "anyOf", "allOf", "if", "not", "dependentSchemas"] where schema[keyword] != nil {
            declaration.documentation.notes.append(
                "`\(keyword)` is checked by the runtime validation only; it adds no members to this type."
            )
        }
        declaration.nestedTypes = scope.nestedTypes
        if isToolRoot, let definitions, !definitions.declarations.isEmpty {
            declaration.nestedTypes.append(
                .namespace(
                    name: Definitions.namespaceName,
                    documentation: Documentation(
                        lines: ["The types of the schema's definitions, shared by every `$ref` to them."],
                        source: source(path)
                    ),
                    members: definitions.declarations
                )
            )
        }
        return declaration
    }

    /// The Swift type for `schema`, declaring nested types in `scope` as needed, plus notes for the
    /// property's doc comment (why it fell back to `JSONValue`, for one).
    func type(
        of schema: JSONValue,
        path: JSONPointer,
        suggestedName: String,
        scope: inout Scope
    ) -> (SwiftType, notes: [String]) {
        guard case .object(let object) = schema else {
            let reason =
                schema.bool == false
                ? "the schema `false` accepts no value" : "the schema `true` accepts any JSON value"
            return (.jsonValue, [fallbackNote(reason)])
        }
        if let (inner, innerPath) = nullableAlternative(of: object, path: path) {
            let (type, notes) = self.type(of: inner, path: innerPath, suggestedName: suggestedName, scope: &scope)
            return (type.optional, notes)
        }

        var types = typeNames(of: object)
        var nullable = false
        if let index = types?.firstIndex(of: "null"), let count = types?.count, count > 1 {
            types?.remove(at: index)
            nullable = true
        }
        let (type, notes) = nonNullType(
            of: object,
            types: types,
            path: path,
            suggestedName: suggestedName,
            scope: &scope
        )
        return (nullable ? type.optional : type, notes)
    }

    private func nonNullType(
        of object: JSONObject,
        types: [String]?,
        path: JSONPointer,
        suggestedName: String,
        scope: inout Scope
    ) -> (SwiftType, notes: [String]) {
        if let reference = object["$ref"] {
            if let reference = reference.string, let resolved = definitions?.resolve(reference, translator: self) {
                return resolved
            }
            return (.jsonValue, [fallbackNote("`$ref` names no local definition, or one that contains itself")])
        }
        if let values = object["enum"]?.array {
            return enumType(values: values, object: object, path: path, suggestedName: suggestedName, scope: &scope)
        }
        if let value = object["const"] {
            switch value {
            case .string: return (.string, [])
            case .bool: return (.bool, [])
            case .number(let number): return (number.isInteger && types == ["integer"] ? .int : .number, [])
            default: return (.jsonValue, [fallbackNote("a `const` array, object or null has no Swift type")])
            }
        }
        let isObject = types == ["object"] || (types == nil && object["properties"] != nil)
        if isObject { return objectType(object, path: path, suggestedName: suggestedName, scope: &scope) }
        for keyword in ["oneOf", "anyOf", "allOf"] where object[keyword] != nil {
            return (.jsonValue, [fallbackNote("`\(keyword)` of several schemas has no single Swift type")])
        }
        guard let types else {
            if object["items"] != nil { return arrayType(object, path: path, suggestedName: suggestedName, scope: &scope) }
            return (.jsonValue, [fallbackNote("the schema gives no `type`")])
        }
        guard types.count == 1, let single = types.first else {
            return (.jsonValue, [fallbackNote("a value of several types (\(types.joined(separator: ", "))) has no Swift type")])
        }
        switch single {
        case "string": return (.string, [])
        case "integer": return (.int, [])
        case "number": return (.number, [])
        case "boolean": return (.bool, [])
        case "array": return arrayType(object, path: path, suggestedName: suggestedName, scope: &scope)
        case "null": return (.jsonValue, [fallbackNote("the value is always `null`")])
        default: return (.jsonValue, [fallbackNote("unknown type `\(single)`")])
        }
    }

    private func objectType(
        _ object: JSONObject,
        path: JSONPointer,
        suggestedName: String,
        scope: inout Scope
    ) -> (SwiftType, notes: [String]) {
        if object["patternProperties"] != nil, object["properties"] == nil {
            return (.jsonValue, [fallbackNote("`patternProperties` has no Swift type")])
        }
        if object["properties"] == nil {
            if case .object(let valueSchema)? = object["additionalProperties"] {
                let (valueType, notes) = type(
                    of: .object(valueSchema),
                    path: path / "additionalProperties",
                    suggestedName: SwiftNaming.singular(suggestedName),
                    scope: &scope
                )
                return (.dictionary(valueType), notes)
            }
            if object["additionalProperties"]?.bool != false {
                return (.dictionary(.jsonValue), ["Any members: the schema declares no properties."])
            }
        }
        let name = scope.declare(typeName(for: object, suggested: suggestedName))
        scope.nestedTypes.append(.structure(structure(named: name, schema: object, path: path)))
        return (.named(name), [])
    }

    private func arrayType(
        _ object: JSONObject,
        path: JSONPointer,
        suggestedName: String,
        scope: inout Scope
    ) -> (SwiftType, notes: [String]) {
        if object["prefixItems"] != nil {
            return (.jsonValue, [fallbackNote("a tuple (`prefixItems`) has no Swift type")])
        }
        guard let items = object["items"], items.bool != true else {
            return (.array(.jsonValue), ["Elements are any JSON: the schema gives no `items`."])
        }
        let (element, notes) = type(
            of: items,
            path: path / "items",
            suggestedName: SwiftNaming.singular(suggestedName),
            scope: &scope
        )
        return (.array(element), notes)
    }

    private func enumType(
        values: [JSONValue],
        object: JSONObject,
        path: JSONPointer,
        suggestedName: String,
        scope: inout Scope
    ) -> (SwiftType, notes: [String]) {
        let nonNull = values.filter { !$0.isNull }
        let nullable = nonNull.count < values.count
        let strings = nonNull.compactMap(\.string)
        let result: (SwiftType, notes: [String])
        if !nonNull.isEmpty, strings.count == nonNull.count {
            var taken: Set<String> = []
            var cases: [EnumDeclaration.Case] = []
            for value in strings where !cases.contains(where: { $0.rawValue == value }) {
                var base = value.isEmpty ? "empty" : SwiftNaming.memberName(value)
                // A case may not share a name with the enum's own members.
                if ["rawValue", "allCases", "hashValue"].contains(base) { base += "_" }
                cases.append(.init(swiftName: SwiftNaming.unique(base, in: &taken), rawValue: value))
            }
            let name = scope.declare(typeName(for: object, suggested: suggestedName))
            let doc = documentation(of: object, path: path / "enum")
            scope.nestedTypes.append(.enumeration(EnumDeclaration(name: name, documentation: doc, cases: cases)))
            result = (.named(name), [])
        } else if !nonNull.isEmpty, nonNull.allSatisfy({ $0.number?.isInteger == true }) {
            result = (.int, [])
        } else if !nonNull.isEmpty, nonNull.allSatisfy({ $0.number != nil }) {
            result = (.number, [])
        } else if !nonNull.isEmpty, nonNull.allSatisfy({ $0.bool != nil }) {
            result = (.bool, [])
        } else {
            result = (.jsonValue, [fallbackNote("an `enum` of mixed or structured values has no Swift type")])
        }
        return nullable ? (result.0.optional, result.notes) : result
    }

    /// `anyOf`/`oneOf` of exactly one schema and `{"type": "null"}`: an optional of that schema.
    private func nullableAlternative(of object: JSONObject, path: JSONPointer) -> (JSONValue, JSONPointer)? {
        for keyword in ["anyOf", "oneOf"] {
            guard let branches = object[keyword]?.array, branches.count == 2 else { continue }
            let isNull = branches.map { $0["type"]?.string == "null" && $0.object?.count == 1 }
            guard isNull.filter({ $0 }).count == 1, let index = isNull.firstIndex(of: false) else { continue }
            // Other keywords beside the `anyOf` would be lost by looking at the branch alone.
            guard object.keys.allSatisfy({ [keyword, "description", "title", "default", "examples"].contains($0) })
            else { continue }
            return (branches[index], path / keyword / index)
        }
        return nil
    }

    private func typeNames(of object: JSONObject) -> [String]? {
        switch object["type"] {
        case .string(let name): [name]
        case .array(let names): names.compactMap(\.string)
        default: nil
        }
    }

    private func typeName(for object: JSONObject, suggested: String) -> String {
        if let title = object["title"]?.string, !SwiftNaming.upperCamel(title).hasPrefix("_") {
            return SwiftNaming.upperCamel(title)
        }
        return suggested
    }

    private func isSchema(_ value: JSONValue?) -> Bool {
        if case .object = value { return true }
        return false
    }

    private func fallbackNote(_ reason: String) -> String {
        "`JSONValue` because \(reason); the runtime validation still checks it."
    }

    func documentation(of schema: JSONObject, path: JSONPointer) -> Documentation {
        let text = schema["description"]?.string ?? schema["title"]?.string ?? ""
        return Documentation(lines: Self.lines(text), source: source(path))
    }

    /// Splits text into trimmed lines, dropping leading and trailing blank ones.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).map {
            String($0.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

/// The `$defs` (or `definitions`) of one tool's parameters schema, each translated once, on its
/// first `$ref`, into `<Owner>Arguments.Definitions`, so every reference shares one Swift type.
///
/// A definition that refers to itself, directly or through others, gets `JSONValue` at the inner
/// reference: a struct cannot contain itself, and the validator still checks the whole shape.
final class Definitions {
    static let namespaceName = "Definitions"

    let root: JSONObject
    let rootPath: JSONPointer
    let ownerName: String
    private(set) var declarations: [NestedDeclaration] = []
    private var takenNames: Set<String> = []
    private var resolved: [String: (SwiftType, notes: [String])] = [:]
    private var inProgress: Set<String> = []

    init(root: JSONObject, rootPath: JSONPointer, ownerName: String) {
        self.root = root
        self.rootPath = rootPath
        self.ownerName = ownerName
    }

    /// The type for `#/$defs/Name` (or `#/definitions/Name`), or `nil` when that is not a local
    /// definition or is one being translated (a cycle).
    func resolve(_ reference: String, translator: SchemaTranslator) -> (SwiftType, notes: [String])? {
        if let done = resolved[reference] { return done }
        guard reference.hasPrefix("#/"), !inProgress.contains(reference) else { return nil }
        let pointer = JSONPointer(parsing: String(reference.dropFirst()))
        guard pointer.components.count == 2, case .key(let container) = pointer.components[0],
            container == "$defs" || container == "definitions"
        else { return nil }
        let name: String
        switch pointer.components[1] {
        case .key(let key): name = key
        case .index(let index): name = String(index)
        }
        guard let schema = root[container]?[name] else { return nil }

        inProgress.insert(reference)
        defer { inProgress.remove(reference) }
        // A scope of its own, merged afterwards: a nested `resolve` may declare meanwhile.
        var scope = SchemaTranslator.Scope(enclosingName: Self.namespaceName)
        scope.takenTypeNames.formUnion(takenNames)
        let (type, notes) = translator.type(
            of: schema,
            path: rootPath + pointer,
            suggestedName: SwiftNaming.upperCamel(name),
            scope: &scope
        )
        let declared = scope.takenTypeNames.subtracting(takenNames).subtracting([Self.namespaceName])
        guard declared.isDisjoint(with: takenNames) else { return nil }
        takenNames.formUnion(declared)
        declarations += scope.nestedTypes
        let result = (qualified(type), notes)
        resolved[reference] = result
        return result
    }

    /// Names declared here are written in full, so they resolve the same from any nested type.
    private func qualified(_ type: SwiftType) -> SwiftType {
        switch type {
        case .named(let name): .named("\(ownerName).\(Self.namespaceName).\(name)")
        case .optional(let inner): .optional(qualified(inner))
        case .array(let inner): .array(qualified(inner))
        case .dictionary(let inner): .dictionary(qualified(inner))
        default: type
        }
    }
}
