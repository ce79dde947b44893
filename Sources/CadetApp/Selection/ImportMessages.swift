import CadetCore

extension ImportProblem {
    /// "Line 4, column email: …" in the reader's language.
    func message(_ t: Localizer) -> String {
        let place = column.map { t("import.problem.at_column", ["line": String(line), "column": $0]) }
            ?? t("import.problem.at_line", ["line": String(line)])
        return place + " " + t("import.problem.\(kind.key)", kind.arguments)
    }
}
