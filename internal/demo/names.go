package demo

// Word lists for names, places, positions and purchases. They are data, not
// logic: changing one changes the generated data set (but not its shape).

// Malay given names. Male names may be preceded by one of malePrefixes.
var (
	malePrefixes = []string{"Muhammad", "Mohd", "Mohamad", "Ahmad", "Muhammad", "Mohd"}
	maleMalay    = []string{
		"Hafiz", "Faizal", "Azman", "Rosli", "Zulkifli", "Shahrul", "Khairul", "Syafiq", "Aiman",
		"Danial", "Hakim", "Firdaus", "Izzat", "Irfan", "Haziq", "Luqman", "Amirul", "Hisham",
		"Fadzil", "Razak", "Nizam", "Azlan", "Rizal", "Faris", "Aqil", "Ikmal", "Syahmi", "Redzuan",
		"Ridhuan", "Kamarul", "Zaidi", "Shahrizal", "Azri", "Nazri", "Fauzi", "Hairul", "Ariff",
		"Yazid", "Ma'arof", "Saiful", "Asyraf", "Hazwan", "Najib", "Rahim", "Sufian", "Iskandar",
	}
	abdulNames = []string{
		"Rahman", "Aziz", "Halim", "Karim", "Latif", "Rashid", "Hadi", "Malik", "Razak", "Wahab",
		"Jalil", "Hamid", "Ghani", "Samad", "Majid",
	}
	femalePrefixes = []string{"Nurul", "Nur", "Siti", "Nor", "Noor", "Nurul", "Siti"}
	femaleMalay    = []string{
		"Aisyah", "Aminah", "Fatihah", "Izzati", "Syafiqah", "Nadia", "Aini", "Azlina", "Hidayah",
		"Huda", "Farhana", "Syuhada", "Athirah", "Najwa", "Amira", "Balqis", "Sabrina", "Zulaikha",
		"Hafizah", "Rohani", "Norhayati", "Salmah", "Rosnah", "Zaleha", "Faridah", "Suraya",
		"Liyana", "Nabilah", "Shahira", "Atikah", "Fazlina", "Hasnah", "Mazlina", "Zarina",
		"Khadijah", "Maisarah", "Aqilah", "Irdina", "Nadhirah", "Wahida", "Zahirah", "'Ain",
		"Farah", "Aida", "Rozita", "Normah", "Ruzana",
	}
	fatherMalay = []string{
		"Rahman", "Ismail", "Othman", "Hassan", "Abdullah", "Yusof", "Ibrahim", "Abu Bakar",
		"Ahmad", "Hamid", "Kassim", "Salleh", "Mahmud", "Sulaiman", "Zakaria", "Jaafar", "Razak",
		"Ghani", "Hashim", "Omar", "Mohd Noor", "Abdul Rahman", "Abdul Aziz", "Ali", "Osman",
		"Mat Isa", "Hussin", "Yaacob", "Ramli", "Said", "Samsudin", "Harun", "Idris", "Musa",
		"Mansor", "Daud", "Awang", "Ismail", "Abdul Latif", "Mohamed", "Zainal", "Embong", "Kamaruddin",
	}
	// Hereditary titles: male form, female form. The father carries the male form.
	titles = [][2]string{
		{"Wan", "Wan"}, {"Nik", "Nik"}, {"Syed", "Sharifah"}, {"Megat", "Puteri"}, {"Tengku", "Tengku"},
		{"Raja", "Raja"}, {"Wan", "Wan"}, {"Nik", "Nik"},
	}

	chineseSurnames = []string{
		"Tan", "Lim", "Lee", "Wong", "Ng", "Chan", "Ong", "Teh", "Chong", "Goh", "Chin", "Yap",
		"Low", "Cheah", "Koh", "Khoo", "Leong", "Foo", "Liew", "Ho", "Chua", "Loh", "Yeoh", "Tay",
	}
	chineseMale = []string{
		"Wei Jie", "Kah Seng", "Chee Keong", "Boon Hock", "Kok Wai", "Jun Hao", "Zhi Hao", "Wai Kit",
		"Yong Sheng", "Kien Loong", "Chun Wei", "Ah Kow", "Teck Soon", "Beng Huat", "Kar Wai",
	}
	chineseFemale = []string{
		"Mei Ling", "Siew Ling", "Hui Min", "Pei Shan", "Li Ying", "Xin Yi", "Siew Mei", "Yee Ling",
		"Jia Hui", "Poh Lin", "Swee Lan", "Ai Ling", "Kah Yan", "Wan Ting", "Geok Choo",
	}
	indianMale = []string{
		"Ramesh", "Suresh", "Ganesh", "Rajesh", "Kumar", "Saravanan", "Muthu", "Prakash", "Vijay",
		"Arun", "Kannan", "Sivakumar", "Thinesh", "Dinesh", "Manimaran", "Selvam", "Kalaivanan",
	}
	indianFemale = []string{
		"Kavitha", "Priya", "Devi", "Lakshmi", "Shanthi", "Malar", "Revathi", "Kalaiselvi",
		"Sangeetha", "Thilaga", "Vani", "Yamuna", "Anitha", "Sharmila", "Geetha", "Parvathy",
	}
	indianFathers = []string{
		"Subramaniam", "Krishnan", "Muniandy", "Ramasamy", "Arumugam", "Veerappan", "Govindasamy",
		"Rajendran", "Perumal", "Maniam", "Suppiah", "Letchumanan", "Karuppiah", "Sinnathamby",
		"Nadarajah", "Raman", "Gopal", "Palaniappan",
	}
)

// Company name parts.
var (
	coreA = []string{
		"Bina", "Sinar", "Cahaya", "Mega", "Perintis", "Gemilang", "Delima", "Seri", "Teguh", "Jaya",
		"Intan", "Mutiara", "Saujana", "Nusantara", "Warisan", "Kenanga", "Permata", "Bestari",
		"Harmoni", "Puncak", "Setia", "Wawasan", "Bakti", "Cemerlang", "Tekun", "Aman", "Anggun",
		"Dinamik", "Era", "Alam", "Suria", "Rimba", "Tiara", "Citra", "Zamrud",
	}
	coreB = []string{
		"Jaya", "Maju", "Timur", "Utama", "Emas", "Harapan", "Makmur", "Sejahtera", "Bersatu",
		"Perkasa", "Gemilang", "Abadi", "Ria", "Indah", "Mewah", "Sakti", "Murni", "Impian",
		"Kurnia", "Bistari", "Baiduri", "Teknik", "Damai", "Lestari",
	}
	chineseFirms = []string{
		"Soon Heng", "Kim Seng", "Hock Lee", "Guan Huat", "Teck Hin", "Seng Fatt", "Hup Seng",
		"Yew Lee", "Hong Kee", "Wah Lian", "Sin Hwa", "Chop Ah Seng", "Thye Huat", "Ban Lee Hin",
	}
	oldBusinessPrefixes = []string{"MA", "JM", "SA", "PG", "KT", "CA", "NS", "IP", "KN", "TR"}
)

// Malay month names.
var bulan = [...]string{"Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos",
	"September", "Oktober", "November", "Disember"}

// State facts: districts (for district PTJs), JPN place-of-birth code,
// telephone area code, and whether the weekend is Friday–Saturday.
type stateInfo struct {
	districts []string
	place     int
	area      string
	friSat    bool
}

var states = map[string]stateInfo{
	"johor":           {[]string{"Johor Bahru", "Batu Pahat", "Muar", "Kluang", "Segamat", "Pontian", "Kota Tinggi", "Mersing", "Kulai"}, 1, "07", false},
	"kedah":           {[]string{"Kota Setar", "Kuala Muda", "Kubang Pasu", "Kulim", "Baling", "Langkawi", "Pendang", "Yan"}, 2, "04", true},
	"kelantan":        {[]string{"Kota Bharu", "Pasir Mas", "Tumpat", "Bachok", "Pasir Puteh", "Tanah Merah", "Machang", "Kuala Krai", "Gua Musang"}, 3, "09", true},
	"melaka":          {[]string{"Melaka Tengah", "Alor Gajah", "Jasin"}, 4, "06", false},
	"negeri sembilan": {[]string{"Seremban", "Port Dickson", "Rembau", "Jempol", "Kuala Pilah", "Tampin", "Jelebu"}, 5, "06", false},
	"pahang":          {[]string{"Kuantan", "Temerloh", "Bentong", "Pekan", "Raub", "Jerantut", "Maran", "Rompin", "Lipis"}, 6, "09", false},
	"pulau pinang":    {[]string{"Timur Laut", "Barat Daya", "Seberang Perai Utara", "Seberang Perai Tengah", "Seberang Perai Selatan"}, 7, "04", false},
	"perak":           {[]string{"Kinta", "Larut, Matang dan Selama", "Manjung", "Kerian", "Batang Padang", "Hilir Perak", "Kuala Kangsar", "Hulu Perak"}, 8, "05", false},
	"perlis":          {[]string{"Kangar", "Arau", "Padang Besar"}, 9, "04", false},
	"selangor":        {[]string{"Petaling", "Klang", "Gombak", "Hulu Langat", "Kuala Langat", "Kuala Selangor", "Sepang", "Hulu Selangor", "Sabak Bernam"}, 10, "03", false},
	"terengganu":      {[]string{"Kuala Terengganu", "Kemaman", "Dungun", "Besut", "Marang", "Hulu Terengganu", "Setiu"}, 11, "09", true},
	"sabah":           {[]string{"Kota Kinabalu", "Sandakan", "Tawau", "Keningau", "Lahad Datu", "Kudat", "Beaufort"}, 12, "088", false},
	"sarawak":         {[]string{"Kuching", "Miri", "Sibu", "Bintulu", "Samarahan", "Sri Aman", "Kapit"}, 13, "082", false},
}

// genericState is used for an unknown or empty state name.
var genericState = stateInfo{[]string{"Utara", "Selatan", "Timur", "Barat", "Tengah"}, 0, "03", false}

// Departments. {N} becomes " <State>" (or nothing), {D} a district; a unit
// starting with "@" is repeated for every district.
type deptSpec struct {
	short   string
	name    string
	units   []string
	weight  int
	special []int // indices into positions
}

var deptSpecs = []deptSpec{
	{"SUK", "Pejabat Setiausaha Kerajaan Negeri{N}", []string{"Pejabat Setiausaha Kerajaan Negeri{N}", "Bahagian Pengurusan Sumber Manusia, SUK{N}", "Bahagian Teknologi Maklumat, SUK{N}", "Unit Perancang Ekonomi Negeri{N}"}, 12, []int{pTSKN, pM52, pF41, pF44, pFA29}},
	{"PBN", "Perbendaharaan Negeri{N}", []string{"Perbendaharaan Negeri{N}", "Bahagian Akaun, Perbendaharaan Negeri{N}", "Bahagian Belanjawan, Perbendaharaan Negeri{N}"}, 8, []int{pW19, pW29, pWA41, pWA44, pWA48, pW41}},
	{"JKR", "Jabatan Kerja Raya Negeri{N}", []string{"Jabatan Kerja Raya Negeri{N}", "@Jabatan Kerja Raya Daerah {D}"}, 14, []int{pJ41, pJ44, pJ52, pJA29, pJA19, pQS41, pAR41}},
	{"JAIN", "Jabatan Agama Islam Negeri{N}", []string{"Jabatan Agama Islam Negeri{N}", "@Pejabat Agama Islam Daerah {D}"}, 14, []int{pS29, pS41, pS44}},
	{"PTG", "Pejabat Tanah dan Galian{N}", []string{"Pejabat Tanah dan Galian{N}", "@Pejabat Daerah dan Tanah {D}"}, 12, []int{pW29V, pW41V, pN29}},
	{"MB", "Majlis Bandaraya{N}", []string{"Majlis Bandaraya{N}", "Jabatan Penguatkuasaan, Majlis Bandaraya{N}", "Jabatan Kesihatan dan Persekitaran, Majlis Bandaraya{N}"}, 16, []int{pKP19, pKP29, pU29, pJ41, pJA29, pPB41}},
	{"JPV", "Jabatan Perkhidmatan Veterinar Negeri{N}", []string{"Jabatan Perkhidmatan Veterinar Negeri{N}", "@Pejabat Perkhidmatan Veterinar Daerah {D}"}, 5, []int{pG41V, pG29V, pG19V}},
	{"JPN", "Jabatan Pertanian Negeri{N}", []string{"Jabatan Pertanian Negeri{N}", "@Pejabat Pertanian Daerah {D}"}, 7, []int{pG41P, pG29P, pG19P}},
	{"JPS", "Jabatan Pengairan dan Saliran Negeri{N}", []string{"Jabatan Pengairan dan Saliran Negeri{N}", "@Jabatan Pengairan dan Saliran Daerah {D}"}, 7, []int{pJ41, pJ44, pJA29, pJA19}},
	{"PLAN", "Jabatan Perancangan Bandar dan Desa Negeri{N}", []string{"Jabatan Perancangan Bandar dan Desa Negeri{N}"}, 3, []int{pPB41, pJA29P}},
	{"MUFTI", "Jabatan Mufti Negeri{N}", []string{"Jabatan Mufti Negeri{N}"}, 3, []int{pS41, pS29}},
	{"JH", "Jabatan Perhutanan Negeri{N}", []string{"Jabatan Perhutanan Negeri{N}", "@Pejabat Hutan Daerah {D}"}, 4, []int{pG41H, pG29H, pG19H}},
}

// Positions: name, grade, pay band (0 grades 11–19, 1 grades 22–38, 2 grades
// 41–44, 3 grades 48–54, 4 JUSA), basic salary range in RM, minimum age, and
// weight among the positions every department has (0: special only).
type position struct {
	name, grade string
	band        int
	min, max    int64
	minAge      int
	weight      int
	ot          bool // eligible for overtime
	critical    bool // Bayaran Insentif Tugas Kritikal
}

const (
	pH11D = iota
	pH11A
	pN11
	pN19
	pW19
	pN29S
	pN29
	pW29
	pFT19
	pFA29
	pF41
	pN41
	pN44
	pN48
	pW41
	pWA41
	pTSKN
	pM52
	pF44
	pWA44
	pWA48
	pJ41
	pJ44
	pJ52
	pJA29
	pJA19
	pQS41
	pAR41
	pS29
	pS41
	pS44
	pW29V
	pW41V
	pKP19
	pKP29
	pU29
	pPB41
	pJA29P
	pG41V
	pG29V
	pG19V
	pG41P
	pG29P
	pG19P
	pG41H
	pG29H
	pG19H
)

var positions = [...]position{
	pH11D:  {"Pemandu Kenderaan", "H11", 0, 1650, 3400, 19, 80, true, false},
	pH11A:  {"Pembantu Awam", "H11", 0, 1600, 3200, 19, 60, true, false},
	pN11:   {"Pembantu Operasi", "N11", 0, 1600, 3300, 19, 80, true, false},
	pN19:   {"Pembantu Tadbir (Perkeranian/Operasi)", "N19", 0, 1900, 4600, 20, 200, true, false},
	pW19:   {"Pembantu Tadbir (Kewangan)", "W19", 0, 1900, 4600, 20, 70, true, false},
	pN29S:  {"Setiausaha Pejabat", "N29", 1, 2400, 5800, 22, 20, true, false},
	pN29:   {"Penolong Pegawai Tadbir", "N29", 1, 2400, 5900, 22, 60, true, false},
	pW29:   {"Penolong Akauntan", "W29", 1, 2400, 5900, 22, 40, true, false},
	pFT19:  {"Juruteknik Komputer", "FT19", 0, 1900, 4600, 20, 20, true, false},
	pFA29:  {"Penolong Pegawai Teknologi Maklumat", "FA29", 1, 2400, 5900, 22, 20, true, false},
	pF41:   {"Pegawai Teknologi Maklumat", "F41", 2, 3300, 8600, 24, 15, false, false},
	pN41:   {"Pegawai Tadbir Negeri", "N41", 2, 3300, 8600, 24, 50, false, false},
	pN44:   {"Pegawai Tadbir Negeri", "N44", 2, 4800, 9600, 32, 20, false, false},
	pN48:   {"Pegawai Tadbir Negeri", "N48", 3, 6000, 10800, 38, 10, false, false},
	pW41:   {"Pegawai Kewangan", "W41", 2, 3300, 8600, 24, 15, false, false},
	pWA41:  {"Akauntan", "WA41", 2, 3300, 8600, 24, 10, false, false},
	pTSKN:  {"Timbalan Setiausaha Kerajaan Negeri", "JUSA C", 4, 10200, 12000, 48, 0, false, false},
	pM52:   {"Pegawai Tadbir dan Diplomatik", "M52", 3, 8000, 11800, 44, 2, false, false},
	pF44:   {"Pegawai Teknologi Maklumat", "F44", 2, 4800, 9600, 32, 0, false, false},
	pWA44:  {"Akauntan", "WA44", 2, 4800, 9600, 32, 0, false, false},
	pWA48:  {"Akauntan", "WA48", 3, 6000, 10800, 38, 0, false, false},
	pJ41:   {"Jurutera", "J41", 2, 3500, 9000, 24, 0, false, true},
	pJ44:   {"Jurutera", "J44", 2, 5000, 10000, 32, 0, false, true},
	pJ52:   {"Jurutera", "J52", 3, 7500, 12000, 42, 0, false, true},
	pJA29:  {"Penolong Jurutera", "JA29", 1, 2500, 6000, 22, 0, true, false},
	pJA19:  {"Juruteknik", "JA19", 0, 1900, 4600, 20, 0, true, false},
	pQS41:  {"Juruukur Bahan", "J41", 2, 3500, 9000, 24, 0, false, true},
	pAR41:  {"Arkitek", "J41", 2, 3500, 9000, 24, 0, false, true},
	pS29:   {"Penolong Pegawai Hal Ehwal Islam", "S29", 1, 2400, 5600, 22, 0, true, false},
	pS41:   {"Pegawai Hal Ehwal Islam", "S41", 2, 3300, 8500, 24, 0, false, false},
	pS44:   {"Pegawai Hal Ehwal Islam", "S44", 2, 4800, 9500, 32, 0, false, false},
	pW29V:  {"Penolong Pegawai Penilaian", "W29", 1, 2400, 5900, 22, 0, true, false},
	pW41V:  {"Pegawai Penilaian", "W41", 2, 3300, 8600, 24, 0, false, false},
	pKP19:  {"Pembantu Penguatkuasa", "KP19", 0, 1900, 4400, 20, 0, true, false},
	pKP29:  {"Penolong Pegawai Penguatkuasa", "KP29", 1, 2400, 5600, 22, 0, true, false},
	pU29:   {"Penolong Pegawai Kesihatan Persekitaran", "U29", 1, 2400, 5800, 22, 0, true, false},
	pPB41:  {"Pegawai Perancang Bandar dan Desa", "J41", 2, 3500, 9000, 24, 0, false, true},
	pJA29P: {"Penolong Pegawai Perancang Bandar dan Desa", "JA29", 1, 2500, 6000, 22, 0, true, false},
	pG41V:  {"Pegawai Veterinar", "G41", 2, 3500, 9000, 24, 0, false, true},
	pG29V:  {"Penolong Pegawai Veterinar", "G29", 1, 2400, 5800, 22, 0, true, false},
	pG19V:  {"Pembantu Veterinar", "G19", 0, 1900, 4500, 20, 0, true, false},
	pG41P:  {"Pegawai Pertanian", "G41", 2, 3500, 9000, 24, 0, false, true},
	pG29P:  {"Penolong Pegawai Pertanian", "G29", 1, 2400, 5800, 22, 0, true, false},
	pG19P:  {"Pembantu Pertanian", "G19", 0, 1900, 4500, 20, 0, true, false},
	pG41H:  {"Pegawai Hutan", "G41", 2, 3500, 9000, 24, 0, false, true},
	pG29H:  {"Renjer Hutan", "G29", 1, 2400, 5800, 22, 0, true, false},
	pG19H:  {"Pengawas Hutan", "G19", 0, 1900, 4500, 20, 0, true, false},
}

// Banks with their account number lengths and usual leading digits.
type bankInfo struct {
	name   string
	digits int
	lead   string
	weight int
}

var staffBanks = []bankInfo{
	{"Maybank", 12, "15", 30}, {"Bank Islam", 14, "1203", 20}, {"CIMB Bank", 10, "78", 15},
	{"Bank Rakyat", 12, "2", 15}, {"BSN", 16, "1", 10}, {"RHB Bank", 14, "1", 10},
}

var supplierBanks = []bankInfo{
	{"Maybank", 12, "5", 30}, {"CIMB Bank", 10, "8", 18}, {"Public Bank", 10, "3", 15},
	{"RHB Bank", 14, "2", 10}, {"Hong Leong Bank", 11, "2", 8}, {"Bank Islam", 14, "1201", 8},
	{"AmBank", 13, "8", 5}, {"Bank Rakyat", 12, "2", 4}, {"Affin Bank", 12, "1", 2},
}

// What suppliers sell. A description ending in "…" gets " bagi bulan <month
// before payment>" appended.
type industry struct {
	words     []string // for company names
	descs     []string
	min, max  int64 // RM per voucher line
	maxPay    int   // payments per active month
	maxLines  int
	activity  int // per mille of months with payments
	ptjs      int // PTJs served
	soleTrade bool
}

var industries = []industry{
	{[]string{"Stationery", "Trading", "Supplies", "Niaga"}, []string{"Bekalan alat tulis pejabat", "Bekalan kertas A4 dan toner pencetak", "Bekalan fail, pen dan alat tulis untuk kursus", "Bekalan dakwat pencetak", "Bekalan perabot pejabat"}, 80, 6000, 3, 6, 750, 3, true},
	{[]string{"Motor", "Auto Services", "Workshop", "Tyre & Battery"}, []string{"Penyelenggaraan kenderaan jabatan", "Servis berkala kenderaan jabatan", "Penggantian tayar kenderaan jabatan", "Penggantian bateri kenderaan", "Pembaikan sistem brek kenderaan"}, 150, 9000, 3, 4, 700, 2, true},
	{[]string{"Security Services", "Kawalan Keselamatan", "Guard Force"}, []string{"Perkhidmatan kawalan keselamatan…", "Perkhidmatan kawalan keselamatan tambahan semasa majlis"}, 8000, 45000, 1, 2, 950, 2, false},
	{[]string{"Cleaning Services", "Khidmat Pembersihan", "Facility Services"}, []string{"Perkhidmatan pembersihan bangunan…", "Perkhidmatan kawalan serangga perosak", "Pembersihan kawasan dan pemotongan rumput…"}, 1500, 25000, 2, 3, 900, 2, true},
	{[]string{"Construction", "Builders", "Bina", "Engineering", "Kontraktor"}, []string{"Kerja-kerja menaik taraf jalan kampung", "Kerja-kerja membaik pulih bumbung bangunan", "Bayaran interim kemajuan kerja", "Kerja-kerja menaik taraf sistem saliran", "Kerja-kerja pembinaan pondok pengawal", "Kerja-kerja penyelenggaraan cerun"}, 15000, 480000, 2, 2, 400, 2, false},
	{[]string{"Technology", "Solutions", "Systems", "Digital", "Infotech"}, []string{"Perkhidmatan penyelenggaraan sistem aplikasi…", "Langganan lesen perisian", "Bekalan komputer riba", "Perkhidmatan talian internet…", "Bekalan pencetak dan pengimbas"}, 500, 60000, 2, 4, 650, 3, false},
	{[]string{"Catering", "Katering", "Food Services", "Food Industries"}, []string{"Bekalan makanan dan minuman mesyuarat", "Jamuan majlis perhimpunan bulanan", "Katering bengkel, 3 hari 2 malam", "Katering kursus induksi", "Jamuan \"Majlis Sambutan Hari Raya\""}, 200, 15000, 3, 5, 700, 3, true},
	{[]string{"Printing", "Percetakan", "Press"}, []string{"Cetakan bunting \"Sambutan Hari Kebangsaan\"", "Cetakan buku laporan tahunan", "Cetakan borang dan buku resit", "Cetakan sijil dan kad ucapan"}, 150, 20000, 2, 4, 500, 3, true},
	{[]string{"Engineering Services", "Elektrikal", "Air-Cond Services", "M&E"}, []string{"Penyelenggaraan penghawa dingin", "Penyelenggaraan lif…", "Kerja-kerja pembaikan pendawaian elektrik", "Penyelenggaraan set janakuasa"}, 300, 30000, 2, 4, 650, 2, false},
	{[]string{"Agro", "Agro Supplies", "Pertanian", "Vet Supplies"}, []string{"Bekalan baja dan racun rumpai", "Bekalan vaksin dan ubat haiwan", "Bekalan makanan ternakan", "Bekalan anak benih"}, 300, 25000, 2, 4, 550, 2, true},
	{[]string{"Travel & Tours", "Pelancongan", "Travel"}, []string{"Tiket penerbangan pegawai ke Kuala Lumpur", "Penginapan hotel peserta kursus", "Sewaan bas rombongan lawatan sambil belajar"}, 200, 20000, 2, 3, 500, 3, false},
	{[]string{"Perunding", "Consultants"}, []string{"Yuran guaman kes mahkamah", "Yuran perundingan kajian", "Yuran audit akaun tahunan", "Yuran khidmat nasihat perundangan"}, 2000, 80000, 1, 2, 300, 2, false},
}

const indLegal = 11 // industries[indLegal] may be a law firm

var claimDescs = []string{
	"Tuntutan perjalanan dalam negeri…", "Tuntutan elaun lebih masa…", "Elaun kursus dan bengkel",
	"Bayaran balik yuran peperiksaan perkhidmatan", "Tuntutan elaun makan dan penginapan…",
	"Tuntutan bayaran balik tambang teksi dan tol", "Tuntutan elaun pertukaran",
}
