/// The 17 first-level divisions of Korea (시·도), by which funders count where trainees come from.
public enum Region: String, CaseIterable, Codable, Sendable {
    case seoul = "Seoul", busan = "Busan", daegu = "Daegu", incheon = "Incheon", gwangju = "Gwangju"
    case daejeon = "Daejeon", ulsan = "Ulsan", sejong = "Sejong", gyeonggi = "Gyeonggi", gangwon = "Gangwon"
    case chungbuk = "Chungbuk", chungnam = "Chungnam", jeonbuk = "Jeonbuk", jeonnam = "Jeonnam"
    case gyeongbuk = "Gyeongbuk", gyeongnam = "Gyeongnam", jeju = "Jeju"

    public var englishName: String { rawValue }

    public var koreanName: String {
        switch self {
        case .seoul: "서울특별시"
        case .busan: "부산광역시"
        case .daegu: "대구광역시"
        case .incheon: "인천광역시"
        case .gwangju: "광주광역시"
        case .daejeon: "대전광역시"
        case .ulsan: "울산광역시"
        case .sejong: "세종특별자치시"
        case .gyeonggi: "경기도"
        case .gangwon: "강원특별자치도"
        case .chungbuk: "충청북도"
        case .chungnam: "충청남도"
        case .jeonbuk: "전북특별자치도"
        case .jeonnam: "전라남도"
        case .gyeongbuk: "경상북도"
        case .gyeongnam: "경상남도"
        case .jeju: "제주특별자치도"
        }
    }

    /// Seoul, Incheon and Gyeonggi: the capital area (수도권) that regional programmes report apart.
    public var isCapitalArea: Bool {
        self == .seoul || self == .incheon || self == .gyeonggi
    }
}
