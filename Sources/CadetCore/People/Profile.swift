/// Facts about a person that selection and the funder's report count by.
public enum Gender: String, CaseIterable, Codable, Sendable {
    case female, male, other
}

public enum MajorField: String, CaseIterable, Codable, Sendable {
    case computing
    case ictElectronicsMath = "ict_electronics_math"
    case otherScienceEngineering = "other_science_engineering"
    case humanitiesOther = "humanities_other"
}
