"""Demo data for ``manage.py seed_demo``, as plain Python structures.

Modelled on how Hanoi's districts carried out Chỉ thị 24-CT/TU (7/8/2023):
the units, numbers and quotas are the public facts; every sentence here is
our own wording, and every person is fictional.

Two trees, one after the other. ``UNITS`` is the article's 2023 tree: four
districts under the city, closed on 30/6/2025 when the district level was
abolished. ``UNITS_2025`` holds their successors from 1/7/2025, commune-level
Party committees directly under the city; ``REORGANISATION`` says which old
unit went where. ``PAST_TASKS`` is work done on the old tree (2023 to June
2025); ``TASKS`` is the current work, on the new one.

Dates in ``PAST_TASKS`` are absolute (``datetime.date``). Dates in ``TASKS``
are an ``int``: a number of working days from the day the command runs
(negative = before), so the demo always has work due soon, overdue and done,
whenever it is seeded.
Titles may use ``{m0}``, ``{m1}``, ``{m2}``: this month, last month and the
month before, as ``MM/YYYY``.
"""

import datetime

# Every demo account, the seven documented logins included, signs in with it.
DEMO_PASSWORD = "ChiThi24@2026"
EMAIL_DOMAIN = "demo.hanoi.vn"

ADMIN = {
    "username": "admin",
    "full_name": "Quản trị hệ thống",
    "position": "Quản trị hệ thống",
    "email": f"admin@{EMAIL_DOMAIN}",
}

# The documented logins, in the order the summary prints them.
DEMO_LOGINS = (
    "admin",
    "thuongtruc",
    "vanphong.dongan",
    "lanhdao.dongan",
    "canbo.dongan",
    "lanhdao.sontay",
    "canbo.sontay",
)

# The article's tree, as it was until 30/6/2025: four districts under the
# city, each with its offices, communes and wards. These units are history
# now (closed on 30/6/2025 by the reorganisation below); their codes end in
# "-2023" so that the successors can carry on the codes people know.
# (code, parent code, kind, name, short name). Parents come before children.
# fmt: off
UNITS = (
    ("HN", None, "city_committee", "Thành ủy Hà Nội", "Thành ủy"),
    # Thị xã Sơn Tây
    ("HN.ST-2023", "HN", "district_committee", "Thị ủy Sơn Tây", "Thị ủy Sơn Tây"),
    ("HN.ST.UBND-2023", "HN.ST-2023", "peoples_committee", "UBND thị xã Sơn Tây",
     "UBND thị xã"),
    ("HN.ST.VP-2023", "HN.ST-2023", "department", "Văn phòng Thị ủy Sơn Tây",
     "Văn phòng Thị ủy"),
    ("HN.ST.BTC-2023", "HN.ST-2023", "department", "Ban Tổ chức Thị ủy Sơn Tây",
     "Ban Tổ chức"),
    ("HN.ST.UBKT-2023", "HN.ST-2023", "department", "Ủy ban Kiểm tra Thị ủy Sơn Tây",
     "UBKT"),
    ("HN.ST.QT-2023", "HN.ST-2023", "commune", "Phường Quang Trung", "P. Quang Trung"),
    ("HN.ST.LL-2023", "HN.ST-2023", "commune", "Phường Lê Lợi", "P. Lê Lợi"),
    ("HN.ST.DL-2023", "HN.ST-2023", "commune", "Xã Đường Lâm", "X. Đường Lâm"),
    # Quận Tây Hồ
    ("HN.TH-2023", "HN", "district_committee", "Quận ủy Tây Hồ", "Quận ủy Tây Hồ"),
    ("HN.TH.UBND-2023", "HN.TH-2023", "peoples_committee", "UBND quận Tây Hồ",
     "UBND quận"),
    ("HN.TH.UBND.PNV-2023", "HN.TH.UBND-2023", "department",
     "Phòng Nội vụ quận Tây Hồ", "Phòng Nội vụ"),
    ("HN.TH.VP-2023", "HN.TH-2023", "department", "Văn phòng Quận ủy Tây Hồ",
     "Văn phòng"),
    ("HN.TH.BTC-2023", "HN.TH-2023", "department", "Ban Tổ chức Quận ủy Tây Hồ",
     "Ban Tổ chức"),
    ("HN.TH.QA-2023", "HN.TH-2023", "commune", "Phường Quảng An", "P. Quảng An"),
    ("HN.TH.NT-2023", "HN.TH-2023", "commune", "Phường Nhật Tân", "P. Nhật Tân"),
    ("HN.TH.XL-2023", "HN.TH-2023", "commune", "Phường Xuân La", "P. Xuân La"),
    # Huyện Thạch Thất
    ("HN.TT-2023", "HN", "district_committee", "Huyện ủy Thạch Thất",
     "Huyện ủy Thạch Thất"),
    ("HN.TT.UBND-2023", "HN.TT-2023", "peoples_committee", "UBND huyện Thạch Thất",
     "UBND huyện"),
    ("HN.TT.VP-2023", "HN.TT-2023", "department", "Văn phòng Huyện ủy Thạch Thất",
     "Văn phòng"),
    ("HN.TT.BTC-2023", "HN.TT-2023", "department", "Ban Tổ chức Huyện ủy Thạch Thất",
     "Ban Tổ chức"),
    ("HN.TT.UBKT-2023", "HN.TT-2023", "department",
     "Ủy ban Kiểm tra Huyện ủy Thạch Thất", "UBKT"),
    ("HN.TT.BY-2023", "HN.TT-2023", "commune", "Xã Bình Yên", "X. Bình Yên"),
    ("HN.TT.LQ-2023", "HN.TT-2023", "commune", "Thị trấn Liên Quan", "TT. Liên Quan"),
    ("HN.TT.TH-2023", "HN.TT-2023", "commune", "Xã Thạch Hòa", "X. Thạch Hòa"),
    ("HN.TT.DBCQ-2023", "HN.TT-2023", "party_organisation",
     "Đảng bộ Cơ quan Dân – Chính – Đảng huyện Thạch Thất", "Đảng bộ Cơ quan huyện"),
    # Huyện Đông Anh
    ("HN.DA-2023", "HN", "district_committee", "Huyện ủy Đông Anh",
     "Huyện ủy Đông Anh"),
    ("HN.DA.UBND-2023", "HN.DA-2023", "peoples_committee", "UBND huyện Đông Anh",
     "UBND huyện"),
    ("HN.DA.UBND.PNV-2023", "HN.DA.UBND-2023", "department",
     "Phòng Nội vụ huyện Đông Anh", "Phòng Nội vụ"),
    ("HN.DA.VP-2023", "HN.DA-2023", "department", "Văn phòng Huyện ủy Đông Anh",
     "Văn phòng"),
    ("HN.DA.BTC-2023", "HN.DA-2023", "department", "Ban Tổ chức Huyện ủy Đông Anh",
     "Ban Tổ chức"),
    ("HN.DA.UBKT-2023", "HN.DA-2023", "department",
     "Ủy ban Kiểm tra Huyện ủy Đông Anh", "UBKT"),
    ("HN.DA.CL-2023", "HN.DA-2023", "commune", "Xã Cổ Loa", "X. Cổ Loa"),
    ("HN.DA.UN-2023", "HN.DA-2023", "commune", "Xã Uy Nỗ", "X. Uy Nỗ"),
    ("HN.DA.TT-2023", "HN.DA-2023", "commune", "Thị trấn Đông Anh", "TT. Đông Anh"),
    ("HN.DA.DBCQ-2023", "HN.DA-2023", "party_organisation",
     "Đảng bộ Cơ quan Chính quyền huyện Đông Anh", "Đảng bộ Cơ quan Chính quyền"),
)
# fmt: on

# The last day of the district level and the first of the two-tier one.
UNITS_CLOSED_ON = datetime.date(2025, 6, 30)
REORGANISED_ON = datetime.date(2025, 7, 1)
# The basis the succession links cite (kept short: history rows quote it).
REORGANISATION_REASON = "Nghị quyết 1656/NQ-UBTVQH15"

# The successors from 1/7/2025: commune-level Party committees directly under
# the city, each with its office, People's Committee and a department or two.
# Modelled, much simplified, on the 2025 resolution on Hanoi's commune-level
# units (Nghị quyết 1656/NQ-UBTVQH15; the real units merge many more
# communes, and some only in part):
#   thị xã Sơn Tây  → phường Sơn Tây (Quang Trung, Đường Lâm), phường Tùng
#                     Thiện (Lê Lợi);
#   quận Tây Hồ     → phường Tây Hồ (Quảng An, Nhật Tân), phường Phú Thượng
#                     (Xuân La);
#   huyện Thạch Thất → xã Thạch Thất (Liên Quan, Bình Yên), xã Hạ Bằng (Thạch
#                     Hòa, the district's agencies' Party organisation);
#   huyện Đông Anh  → xã Đông Anh (thị trấn Đông Anh, Uy Nỗ), xã Phúc Thịnh
#                     (Cổ Loa), xã Thư Lâm (the district government's Party
#                     organisation).
# The district offices carry on as the offices of the main successor, which
# takes over the district's code (HN.DA is now Đảng ủy xã Đông Anh).
# Same columns as UNITS; every one of them exists from REORGANISED_ON.
# fmt: off
UNITS_2025 = (
    # Xã Đông Anh
    ("HN.DA", "HN", "commune", "Đảng ủy xã Đông Anh", "Đảng ủy xã Đông Anh"),
    ("HN.DA.VP", "HN.DA", "department", "Văn phòng Đảng ủy xã Đông Anh",
     "Văn phòng Đảng ủy"),
    ("HN.DA.BTC", "HN.DA", "department", "Ban Xây dựng Đảng xã Đông Anh",
     "Ban Xây dựng Đảng"),
    ("HN.DA.UBKT", "HN.DA", "department", "Ủy ban Kiểm tra Đảng ủy xã Đông Anh",
     "UBKT"),
    ("HN.DA.UBND", "HN.DA", "peoples_committee", "UBND xã Đông Anh", "UBND xã"),
    ("HN.DA.UBND.VHXH", "HN.DA.UBND", "department",
     "Phòng Văn hóa – Xã hội xã Đông Anh", "Phòng Văn hóa – Xã hội"),
    ("HN.DA.UBND.KT", "HN.DA.UBND", "department", "Phòng Kinh tế xã Đông Anh",
     "Phòng Kinh tế"),
    # Xã Phúc Thịnh
    ("HN.PT", "HN", "commune", "Đảng ủy xã Phúc Thịnh", "Đảng ủy xã Phúc Thịnh"),
    ("HN.PT.VP", "HN.PT", "department", "Văn phòng Đảng ủy xã Phúc Thịnh",
     "Văn phòng Đảng ủy"),
    ("HN.PT.UBND", "HN.PT", "peoples_committee", "UBND xã Phúc Thịnh", "UBND xã"),
    # Xã Thư Lâm
    ("HN.TL", "HN", "commune", "Đảng ủy xã Thư Lâm", "Đảng ủy xã Thư Lâm"),
    ("HN.TL.VP", "HN.TL", "department", "Văn phòng Đảng ủy xã Thư Lâm",
     "Văn phòng Đảng ủy"),
    ("HN.TL.UBND", "HN.TL", "peoples_committee", "UBND xã Thư Lâm", "UBND xã"),
    # Phường Sơn Tây
    ("HN.ST", "HN", "commune", "Đảng ủy phường Sơn Tây", "Đảng ủy phường Sơn Tây"),
    ("HN.ST.VP", "HN.ST", "department", "Văn phòng Đảng ủy phường Sơn Tây",
     "Văn phòng Đảng ủy"),
    ("HN.ST.BTC", "HN.ST", "department", "Ban Xây dựng Đảng phường Sơn Tây",
     "Ban Xây dựng Đảng"),
    ("HN.ST.UBKT", "HN.ST", "department", "Ủy ban Kiểm tra Đảng ủy phường Sơn Tây",
     "UBKT"),
    ("HN.ST.UBND", "HN.ST", "peoples_committee", "UBND phường Sơn Tây",
     "UBND phường"),
    # Two small Party cells a new user merges in the admin (see the README).
    ("HN.ST.CB1", "HN.ST", "party_organisation", "Chi bộ Tổ dân phố số 1",
     "Chi bộ TDP 1"),
    ("HN.ST.CB2", "HN.ST", "party_organisation", "Chi bộ Tổ dân phố số 2",
     "Chi bộ TDP 2"),
    # Phường Tùng Thiện
    ("HN.TTH", "HN", "commune", "Đảng ủy phường Tùng Thiện",
     "Đảng ủy phường Tùng Thiện"),
    ("HN.TTH.VP", "HN.TTH", "department", "Văn phòng Đảng ủy phường Tùng Thiện",
     "Văn phòng Đảng ủy"),
    ("HN.TTH.UBND", "HN.TTH", "peoples_committee", "UBND phường Tùng Thiện",
     "UBND phường"),
    # Phường Tây Hồ
    ("HN.TH", "HN", "commune", "Đảng ủy phường Tây Hồ", "Đảng ủy phường Tây Hồ"),
    ("HN.TH.VP", "HN.TH", "department", "Văn phòng Đảng ủy phường Tây Hồ",
     "Văn phòng Đảng ủy"),
    ("HN.TH.BTC", "HN.TH", "department", "Ban Xây dựng Đảng phường Tây Hồ",
     "Ban Xây dựng Đảng"),
    ("HN.TH.UBND", "HN.TH", "peoples_committee", "UBND phường Tây Hồ",
     "UBND phường"),
    ("HN.TH.UBND.VHXH", "HN.TH.UBND", "department",
     "Phòng Văn hóa – Xã hội phường Tây Hồ", "Phòng Văn hóa – Xã hội"),
    # Phường Phú Thượng
    ("HN.PTU", "HN", "commune", "Đảng ủy phường Phú Thượng",
     "Đảng ủy phường Phú Thượng"),
    ("HN.PTU.VP", "HN.PTU", "department", "Văn phòng Đảng ủy phường Phú Thượng",
     "Văn phòng Đảng ủy"),
    ("HN.PTU.UBND", "HN.PTU", "peoples_committee", "UBND phường Phú Thượng",
     "UBND phường"),
    # Xã Thạch Thất
    ("HN.TT", "HN", "commune", "Đảng ủy xã Thạch Thất", "Đảng ủy xã Thạch Thất"),
    ("HN.TT.VP", "HN.TT", "department", "Văn phòng Đảng ủy xã Thạch Thất",
     "Văn phòng Đảng ủy"),
    ("HN.TT.BTC", "HN.TT", "department", "Ban Xây dựng Đảng xã Thạch Thất",
     "Ban Xây dựng Đảng"),
    ("HN.TT.UBKT", "HN.TT", "department", "Ủy ban Kiểm tra Đảng ủy xã Thạch Thất",
     "UBKT"),
    ("HN.TT.UBND", "HN.TT", "peoples_committee", "UBND xã Thạch Thất", "UBND xã"),
    # Xã Hạ Bằng
    ("HN.HB", "HN", "commune", "Đảng ủy xã Hạ Bằng", "Đảng ủy xã Hạ Bằng"),
    ("HN.HB.VP", "HN.HB", "department", "Văn phòng Đảng ủy xã Hạ Bằng",
     "Văn phòng Đảng ủy"),
    ("HN.HB.UBND", "HN.HB", "peoples_committee", "UBND xã Hạ Bằng", "UBND xã"),
)
# fmt: on

# The reorganisation of 1/7/2025, run through units.reorganise in this order
# (bottom-up: a unit is reorganised only once the units under it are):
#   ("merge", [predecessors], successor)
#   ("split", predecessor, [successors]): the first successor takes the
#   people and the open work.
# fmt: off
REORGANISATION = (
    # Đông Anh
    ("merge", ["HN.DA.UBND.PNV-2023"], "HN.DA.UBND.VHXH"),
    ("merge", ["HN.DA.UBND-2023"], "HN.DA.UBND"),
    ("merge", ["HN.DA.VP-2023"], "HN.DA.VP"),
    ("merge", ["HN.DA.BTC-2023"], "HN.DA.BTC"),
    ("merge", ["HN.DA.UBKT-2023"], "HN.DA.UBKT"),
    ("merge", ["HN.DA.TT-2023", "HN.DA.UN-2023"], "HN.DA"),
    ("merge", ["HN.DA.CL-2023"], "HN.PT"),
    ("merge", ["HN.DA.DBCQ-2023"], "HN.TL"),
    ("split", "HN.DA-2023", ["HN.DA", "HN.PT", "HN.TL"]),
    # Sơn Tây
    ("merge", ["HN.ST.UBND-2023"], "HN.ST.UBND"),
    ("merge", ["HN.ST.VP-2023"], "HN.ST.VP"),
    ("merge", ["HN.ST.BTC-2023"], "HN.ST.BTC"),
    ("merge", ["HN.ST.UBKT-2023"], "HN.ST.UBKT"),
    ("merge", ["HN.ST.QT-2023", "HN.ST.DL-2023"], "HN.ST"),
    ("merge", ["HN.ST.LL-2023"], "HN.TTH"),
    ("split", "HN.ST-2023", ["HN.ST", "HN.TTH"]),
    # Tây Hồ
    ("merge", ["HN.TH.UBND.PNV-2023"], "HN.TH.UBND.VHXH"),
    ("merge", ["HN.TH.UBND-2023"], "HN.TH.UBND"),
    ("merge", ["HN.TH.VP-2023"], "HN.TH.VP"),
    ("merge", ["HN.TH.BTC-2023"], "HN.TH.BTC"),
    ("merge", ["HN.TH.QA-2023", "HN.TH.NT-2023"], "HN.TH"),
    ("merge", ["HN.TH.XL-2023"], "HN.PTU"),
    ("split", "HN.TH-2023", ["HN.TH", "HN.PTU"]),
    # Thạch Thất
    ("merge", ["HN.TT.UBND-2023"], "HN.TT.UBND"),
    ("merge", ["HN.TT.VP-2023"], "HN.TT.VP"),
    ("merge", ["HN.TT.BTC-2023"], "HN.TT.BTC"),
    ("merge", ["HN.TT.UBKT-2023"], "HN.TT.UBKT"),
    ("merge", ["HN.TT.LQ-2023", "HN.TT.BY-2023"], "HN.TT"),
    ("merge", ["HN.TT.TH-2023", "HN.TT.DBCQ-2023"], "HN.HB"),
    ("split", "HN.TT-2023", ["HN.TT", "HN.HB"]),
)
# fmt: on

# Who heads each new commune or ward (the others are headed by the head of
# the unit merged into them).
HEADS_2025 = {
    "HN.DA": "hautd",
    "HN.PT": "cuongnv",
    "HN.TL": "hungmv",
    "HN.ST": "baotq",
    "HN.TTH": "haitv",
    "HN.TH": "lanvtn",
    "HN.PTU": "longpv",
    "HN.TT": "tuyennd",
    "HN.HB": "thinhvv",
}

# The people as they were in the 2023 tree: (username, full name, position,
# unit code, role, title in the unit, is head). The reorganisation moves their
# memberships to the successors; POSITIONS_2025 then renames their posts.
# A username of None is made from the name the way Vietnamese offices make
# e-mail names: given name + initials ("Hoàng Văn Toàn" → "toanhv").
# fmt: off
PEOPLE = (
    # Thành ủy Hà Nội
    (None, "Phạm Quang Thịnh", "Phó Bí thư Thường trực Thành ủy", "HN", "leader",
     "Phó Bí thư Thường trực", True),
    ("thuongtruc", "Lê Thu Trang",
     "Phó Chánh Văn phòng Thành ủy, giúp Thường trực theo dõi Chỉ thị 24-CT/TU", "HN",
     "reviewer", "Phó Chánh Văn phòng Thành ủy", False),
    # Huyện ủy Đông Anh
    (None, "Trần Đức Hậu", "Bí thư Huyện ủy Đông Anh", "HN.DA-2023", "leader",
     "Bí thư Huyện ủy", True),
    ("lanhdao.dongan", "Ngô Văn Khải", "Phó Bí thư Thường trực Huyện ủy Đông Anh",
     "HN.DA-2023", "leader", "Phó Bí thư Thường trực", False),
    ("vanphong.dongan", "Đỗ Thị Hạnh",
     "Phó Chánh Văn phòng Huyện ủy Đông Anh, theo dõi Chỉ thị 24-CT/TU", "HN.DA-2023",
     "reviewer", "Phó Chánh Văn phòng", False),
    (None, "Vương Minh Sơn", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Đông Anh",
     "HN.DA.UBND-2023", "leader", "Chủ tịch UBND huyện", True),
    (None, "Bùi Thị Lan", "Chuyên viên Văn phòng HĐND và UBND huyện Đông Anh",
     "HN.DA.UBND-2023", "staff", "Chuyên viên", False),
    (None, "Hoàng Văn Toàn", "Trưởng phòng Nội vụ huyện Đông Anh",
     "HN.DA.UBND.PNV-2023", "leader", "Trưởng phòng", True),
    (None, "Nguyễn Thị Mai", "Chuyên viên Phòng Nội vụ huyện Đông Anh",
     "HN.DA.UBND.PNV-2023", "staff", "Chuyên viên", False),
    (None, "Lưu Đức Anh", "Chuyên viên Phòng Nội vụ huyện Đông Anh",
     "HN.DA.UBND.PNV-2023", "staff", "Chuyên viên", False),
    (None, "Phan Thị Thủy", "Chánh Văn phòng Huyện ủy Đông Anh", "HN.DA.VP-2023",
     "leader", "Chánh Văn phòng", True),
    ("canbo.dongan", "Nguyễn Minh Tuấn", "Chuyên viên Văn phòng Huyện ủy Đông Anh",
     "HN.DA.VP-2023", "staff", "Chuyên viên", False),
    (None, "Tạ Thu Hà", "Chuyên viên Văn phòng Huyện ủy Đông Anh", "HN.DA.VP-2023",
     "staff", "Chuyên viên", False),
    (None, "Lê Văn Bình", "Trưởng Ban Tổ chức Huyện ủy Đông Anh", "HN.DA.BTC-2023",
     "leader", "Trưởng ban", True),
    (None, "Đặng Ngọc Ánh", "Chuyên viên Ban Tổ chức Huyện ủy Đông Anh",
     "HN.DA.BTC-2023", "staff", "Chuyên viên", False),
    (None, "Cao Văn Thắng", "Chủ nhiệm Ủy ban Kiểm tra Huyện ủy Đông Anh",
     "HN.DA.UBKT-2023", "leader", "Chủ nhiệm", True),
    (None, "Trương Thị Yến", "Cán bộ Ủy ban Kiểm tra Huyện ủy Đông Anh",
     "HN.DA.UBKT-2023", "staff", "Cán bộ kiểm tra", False),
    (None, "Nguyễn Văn Cường", "Bí thư Đảng ủy xã Cổ Loa", "HN.DA.CL-2023", "leader",
     "Bí thư Đảng ủy", True),
    (None, "Phí Thị Hồng", "Công chức Văn phòng – Thống kê xã Cổ Loa", "HN.DA.CL-2023",
     "staff", "Công chức Văn phòng – Thống kê", False),
    (None, "Kiều Văn Nam", "Công chức Tư pháp – Hộ tịch xã Cổ Loa", "HN.DA.CL-2023",
     "staff", "Công chức Tư pháp – Hộ tịch", False),
    (None, "Đào Văn Lợi", "Chủ tịch UBND xã Uy Nỗ", "HN.DA.UN-2023", "leader",
     "Chủ tịch UBND xã", True),
    (None, "Lý Thị Thanh", "Công chức Địa chính – Xây dựng xã Uy Nỗ", "HN.DA.UN-2023",
     "staff", "Công chức Địa chính – Xây dựng", False),
    (None, "Vũ Thị Nga", "Bí thư Đảng ủy thị trấn Đông Anh", "HN.DA.TT-2023", "leader",
     "Bí thư Đảng ủy", True),
    (None, "Hà Văn Dũng", "Công chức Văn phòng – Thống kê thị trấn Đông Anh",
     "HN.DA.TT-2023", "staff", "Công chức Văn phòng – Thống kê", False),
    (None, "Mai Văn Hưng", "Bí thư Đảng ủy Cơ quan Chính quyền huyện Đông Anh",
     "HN.DA.DBCQ-2023", "leader", "Bí thư Đảng ủy", True),
    (None, "Tô Thị Loan", "Chuyên viên giúp việc Đảng ủy Cơ quan Chính quyền huyện",
     "HN.DA.DBCQ-2023", "staff", "Chuyên viên", False),
    # Thị ủy Sơn Tây
    (None, "Trần Quốc Bảo", "Bí thư Thị ủy Sơn Tây", "HN.ST-2023", "leader",
     "Bí thư Thị ủy", True),
    ("lanhdao.sontay", "Kim Thị Phượng", "Phó Bí thư Thường trực Thị ủy Sơn Tây",
     "HN.ST-2023", "leader", "Phó Bí thư Thường trực", False),
    (None, "Đinh Công Trứ", "Phó Bí thư Thị ủy, Chủ tịch UBND thị xã Sơn Tây",
     "HN.ST.UBND-2023", "leader", "Chủ tịch UBND thị xã", True),
    (None, "Lã Thị Hiền", "Chuyên viên Văn phòng HĐND và UBND thị xã Sơn Tây",
     "HN.ST.UBND-2023", "staff", "Chuyên viên", False),
    (None, "Khuất Văn Đông", "Chánh Văn phòng Thị ủy Sơn Tây", "HN.ST.VP-2023",
     "leader", "Chánh Văn phòng", True),
    ("canbo.sontay", "Chu Thị Thảo", "Chuyên viên Văn phòng Thị ủy Sơn Tây",
     "HN.ST.VP-2023", "staff", "Chuyên viên", False),
    (None, "Nghiêm Văn Tú", "Chuyên viên Văn phòng Thị ủy Sơn Tây", "HN.ST.VP-2023",
     "staff", "Chuyên viên", False),
    (None, "Quách Văn Lâm", "Trưởng Ban Tổ chức Thị ủy Sơn Tây", "HN.ST.BTC-2023",
     "leader", "Trưởng ban", True),
    (None, "Đoàn Thị Minh", "Chuyên viên Ban Tổ chức Thị ủy Sơn Tây", "HN.ST.BTC-2023",
     "staff", "Chuyên viên", False),
    (None, "Bạch Thị Duyên", "Chủ nhiệm Ủy ban Kiểm tra Thị ủy Sơn Tây",
     "HN.ST.UBKT-2023", "leader", "Chủ nhiệm", True),
    (None, "Lương Văn Hòa", "Cán bộ Ủy ban Kiểm tra Thị ủy Sơn Tây", "HN.ST.UBKT-2023",
     "staff", "Cán bộ kiểm tra", False),
    (None, "Nguyễn Đức Thọ", "Bí thư Đảng ủy phường Quang Trung", "HN.ST.QT-2023",
     "leader", "Bí thư Đảng ủy", True),
    (None, "Phùng Thị Vân", "Công chức Văn phòng – Thống kê phường Quang Trung",
     "HN.ST.QT-2023", "staff", "Công chức Văn phòng – Thống kê", False),
    (None, "Trịnh Văn Hải", "Chủ tịch UBND phường Lê Lợi", "HN.ST.LL-2023", "leader",
     "Chủ tịch UBND phường", True),
    (None, "Đỗ Thị Thu", "Công chức Tư pháp – Hộ tịch phường Lê Lợi", "HN.ST.LL-2023",
     "staff", "Công chức Tư pháp – Hộ tịch", False),
    (None, "Kiều Văn Phúc", "Bí thư Đảng ủy xã Đường Lâm", "HN.ST.DL-2023", "leader",
     "Bí thư Đảng ủy", True),
    (None, "Hoàng Thị Nhung", "Công chức Địa chính – Xây dựng xã Đường Lâm",
     "HN.ST.DL-2023", "staff", "Công chức Địa chính – Xây dựng", False),
    # Quận ủy Tây Hồ
    (None, "Vũ Thị Ngọc Lan", "Bí thư Quận ủy Tây Hồ", "HN.TH-2023", "leader",
     "Bí thư Quận ủy", True),
    (None, "Nguyễn Hữu Phước", "Phó Bí thư Thường trực Quận ủy Tây Hồ", "HN.TH-2023",
     "leader", "Phó Bí thư Thường trực", False),
    (None, "Trần Đình Khôi", "Phó Bí thư Quận ủy, Chủ tịch UBND quận Tây Hồ",
     "HN.TH.UBND-2023", "leader", "Chủ tịch UBND quận", True),
    (None, "Phạm Thị Hoa", "Chuyên viên Văn phòng HĐND và UBND quận Tây Hồ",
     "HN.TH.UBND-2023", "staff", "Chuyên viên", False),
    (None, "Đặng Văn Quân", "Trưởng phòng Nội vụ quận Tây Hồ", "HN.TH.UBND.PNV-2023",
     "leader", "Trưởng phòng", True),
    (None, "Ngô Thị Hường", "Chuyên viên Phòng Nội vụ quận Tây Hồ",
     "HN.TH.UBND.PNV-2023", "staff", "Chuyên viên", False),
    (None, "Bùi Minh Đức", "Chuyên viên Phòng Nội vụ quận Tây Hồ",
     "HN.TH.UBND.PNV-2023", "staff", "Chuyên viên", False),
    (None, "Lê Hồng Sơn", "Chánh Văn phòng Quận ủy Tây Hồ", "HN.TH.VP-2023", "leader",
     "Chánh Văn phòng", True),
    (None, "Nguyễn Thị Thu Trang", "Chuyên viên Văn phòng Quận ủy Tây Hồ",
     "HN.TH.VP-2023", "staff", "Chuyên viên", False),
    (None, "Hoàng Minh Châu", "Trưởng Ban Tổ chức Quận ủy Tây Hồ", "HN.TH.BTC-2023",
     "leader", "Trưởng ban", True),
    (None, "Vũ Thanh Tùng", "Chuyên viên Ban Tổ chức Quận ủy Tây Hồ", "HN.TH.BTC-2023",
     "staff", "Chuyên viên", False),
    (None, "Đào Thị Thanh Hương", "Bí thư Đảng ủy phường Quảng An", "HN.TH.QA-2023",
     "leader", "Bí thư Đảng ủy", True),
    (None, "Trần Văn Kiên", "Công chức Địa chính – Xây dựng phường Quảng An",
     "HN.TH.QA-2023", "staff", "Công chức Địa chính – Xây dựng", False),
    (None, "Nguyễn Văn Thành", "Chủ tịch UBND phường Nhật Tân", "HN.TH.NT-2023",
     "leader", "Chủ tịch UBND phường", True),
    (None, "Lê Thị Bích", "Công chức Văn phòng – Thống kê phường Nhật Tân",
     "HN.TH.NT-2023", "staff", "Công chức Văn phòng – Thống kê", False),
    (None, "Phạm Văn Long", "Bí thư Đảng ủy phường Xuân La", "HN.TH.XL-2023", "leader",
     "Bí thư Đảng ủy", True),
    (None, "Hà Thị Quỳnh", "Công chức Tư pháp – Hộ tịch phường Xuân La",
     "HN.TH.XL-2023", "staff", "Công chức Tư pháp – Hộ tịch", False),
    # Huyện ủy Thạch Thất
    (None, "Nguyễn Đình Tuyển", "Bí thư Huyện ủy Thạch Thất", "HN.TT-2023", "leader",
     "Bí thư Huyện ủy", True),
    (None, "Đỗ Văn Chiến", "Phó Bí thư Thường trực Huyện ủy Thạch Thất", "HN.TT-2023",
     "leader", "Phó Bí thư Thường trực", False),
    (None, "Phan Văn Hiếu", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Thạch Thất",
     "HN.TT.UBND-2023", "leader", "Chủ tịch UBND huyện", True),
    (None, "Lại Thị Phương", "Chuyên viên Văn phòng HĐND và UBND huyện Thạch Thất",
     "HN.TT.UBND-2023", "staff", "Chuyên viên", False),
    (None, "Kiều Thị Hằng", "Chánh Văn phòng Huyện ủy Thạch Thất", "HN.TT.VP-2023",
     "leader", "Chánh Văn phòng", True),
    (None, "Nguyễn Quang Huy", "Chuyên viên Văn phòng Huyện ủy Thạch Thất",
     "HN.TT.VP-2023", "staff", "Chuyên viên", False),
    (None, "Nguyễn Thị Hoa", "Trưởng Ban Tổ chức Huyện ủy Thạch Thất", "HN.TT.BTC-2023",
     "leader", "Trưởng ban", True),
    (None, "Cấn Văn Tiến", "Chuyên viên Ban Tổ chức Huyện ủy Thạch Thất",
     "HN.TT.BTC-2023", "staff", "Chuyên viên", False),
    (None, "Tạ Văn Sang", "Chủ nhiệm Ủy ban Kiểm tra Huyện ủy Thạch Thất",
     "HN.TT.UBKT-2023", "leader", "Chủ nhiệm", True),
    (None, "Đinh Thị Lụa", "Cán bộ Ủy ban Kiểm tra Huyện ủy Thạch Thất",
     "HN.TT.UBKT-2023", "staff", "Cán bộ kiểm tra", False),
    (None, "Khuất Duy Hưng", "Cán bộ Ủy ban Kiểm tra Huyện ủy Thạch Thất",
     "HN.TT.UBKT-2023", "staff", "Cán bộ kiểm tra", False),
    (None, "Kiều Văn Tuấn", "Bí thư Đảng ủy xã Bình Yên", "HN.TT.BY-2023", "leader",
     "Bí thư Đảng ủy", True),
    (None, "Nguyễn Thị Hảo", "Công chức Văn phòng – Thống kê xã Bình Yên",
     "HN.TT.BY-2023", "staff", "Công chức Văn phòng – Thống kê", False),
    (None, "Phùng Văn Sơn", "Bí thư Đảng ủy thị trấn Liên Quan", "HN.TT.LQ-2023",
     "leader", "Bí thư Đảng ủy", True),
    (None, "Đỗ Thị Huệ", "Công chức Văn phòng – Thống kê thị trấn Liên Quan",
     "HN.TT.LQ-2023", "staff", "Công chức Văn phòng – Thống kê", False),
    (None, "Cấn Đình Long", "Chủ tịch UBND xã Thạch Hòa", "HN.TT.TH-2023", "leader",
     "Chủ tịch UBND xã", True),
    (None, "Lê Thị Hạnh", "Công chức Tư pháp – Hộ tịch xã Thạch Hòa", "HN.TT.TH-2023",
     "staff", "Công chức Tư pháp – Hộ tịch", False),
    (None, "Vũ Văn Thịnh", "Bí thư Đảng ủy Cơ quan Dân – Chính – Đảng huyện Thạch Thất",
     "HN.TT.DBCQ-2023", "leader", "Bí thư Đảng ủy", True),
    (None, "Hoàng Thị Liên", "Chuyên viên giúp việc Đảng ủy Cơ quan huyện Thạch Thất",
     "HN.TT.DBCQ-2023", "staff", "Chuyên viên", False),
)
# fmt: on

# People who took up a post in a new unit on 1/7/2025 (the units that no old
# unit was merged into). Same columns as PEOPLE.
# fmt: off
PEOPLE_2025 = (
    (None, "Trịnh Quốc Việt", "Trưởng phòng Kinh tế xã Đông Anh", "HN.DA.UBND.KT",
     "leader", "Trưởng phòng", True),
    (None, "Lê Thị Thoa", "Chuyên viên Phòng Kinh tế xã Đông Anh", "HN.DA.UBND.KT",
     "staff", "Chuyên viên", False),
    (None, "Nguyễn Văn Khiêm", "Chánh Văn phòng Đảng ủy xã Phúc Thịnh", "HN.PT.VP",
     "leader", "Chánh Văn phòng", True),
    (None, "Đỗ Thị Phương Anh", "Chuyên viên Văn phòng Đảng ủy xã Phúc Thịnh",
     "HN.PT.VP", "staff", "Chuyên viên", False),
    (None, "Phạm Văn Tài", "Phó Bí thư Đảng ủy, Chủ tịch UBND xã Phúc Thịnh",
     "HN.PT.UBND", "leader", "Chủ tịch UBND xã", True),
    (None, "Hoàng Thị Dung", "Chuyên viên Văn phòng HĐND và UBND xã Phúc Thịnh",
     "HN.PT.UBND", "staff", "Chuyên viên", False),
    (None, "Vũ Đình Khang", "Chánh Văn phòng Đảng ủy xã Thư Lâm", "HN.TL.VP",
     "leader", "Chánh Văn phòng", True),
    (None, "Bùi Thị Ngân", "Chuyên viên Văn phòng Đảng ủy xã Thư Lâm", "HN.TL.VP",
     "staff", "Chuyên viên", False),
    (None, "Đặng Quang Vinh", "Phó Bí thư Đảng ủy, Chủ tịch UBND xã Thư Lâm",
     "HN.TL.UBND", "leader", "Chủ tịch UBND xã", True),
    (None, "Ngô Thị Lý", "Chuyên viên Văn phòng HĐND và UBND xã Thư Lâm", "HN.TL.UBND",
     "staff", "Chuyên viên", False),
    (None, "Kiều Minh Quang", "Chánh Văn phòng Đảng ủy phường Tùng Thiện",
     "HN.TTH.VP", "leader", "Chánh Văn phòng", True),
    (None, "Phùng Thị Mơ", "Chuyên viên Văn phòng Đảng ủy phường Tùng Thiện",
     "HN.TTH.VP", "staff", "Chuyên viên", False),
    (None, "Nguyễn Đức Mạnh", "Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tùng Thiện",
     "HN.TTH.UBND", "leader", "Chủ tịch UBND phường", True),
    (None, "Lê Thị Ngọc Bích", "Chuyên viên Văn phòng HĐND và UBND phường Tùng Thiện",
     "HN.TTH.UBND", "staff", "Chuyên viên", False),
    (None, "Trần Thu Hằng", "Chánh Văn phòng Đảng ủy phường Phú Thượng", "HN.PTU.VP",
     "leader", "Chánh Văn phòng", True),
    (None, "Nguyễn Hải Nam", "Chuyên viên Văn phòng Đảng ủy phường Phú Thượng",
     "HN.PTU.VP", "staff", "Chuyên viên", False),
    (None, "Phạm Minh Tuấn", "Phó Bí thư Đảng ủy, Chủ tịch UBND phường Phú Thượng",
     "HN.PTU.UBND", "leader", "Chủ tịch UBND phường", True),
    (None, "Đinh Thị Hà", "Chuyên viên Văn phòng HĐND và UBND phường Phú Thượng",
     "HN.PTU.UBND", "staff", "Chuyên viên", False),
    (None, "Cấn Thị Huyền", "Chánh Văn phòng Đảng ủy xã Hạ Bằng", "HN.HB.VP",
     "leader", "Chánh Văn phòng", True),
    (None, "Kiều Văn Định", "Chuyên viên Văn phòng Đảng ủy xã Hạ Bằng", "HN.HB.VP",
     "staff", "Chuyên viên", False),
    (None, "Nguyễn Văn Quyết", "Phó Chủ tịch phụ trách UBND xã Hạ Bằng", "HN.HB.UBND",
     "leader", "Phó Chủ tịch UBND xã", True),
    (None, "Tạ Thị Hoài", "Chuyên viên Văn phòng HĐND và UBND xã Hạ Bằng",
     "HN.HB.UBND", "staff", "Chuyên viên", False),
    (None, "Đặng Văn Hiệp", "Bí thư Chi bộ Tổ dân phố số 1, phường Sơn Tây",
     "HN.ST.CB1", "leader", "Bí thư Chi bộ", True),
    (None, "Phan Thị Xuân", "Đảng viên Chi bộ Tổ dân phố số 1, phường Sơn Tây",
     "HN.ST.CB1", "staff", "Đảng viên", False),
    (None, "Lương Thị Hằng", "Bí thư Chi bộ Tổ dân phố số 2, phường Sơn Tây",
     "HN.ST.CB2", "leader", "Bí thư Chi bộ", True),
    (None, "Vương Văn Thái", "Đảng viên Chi bộ Tổ dân phố số 2, phường Sơn Tây",
     "HN.ST.CB2", "staff", "Đảng viên", False),
)
# fmt: on

# What the people who moved are called from 1/7/2025: (position, title in
# the unit their membership moved to).
POSITIONS_2025 = {
    "hautd": ("Bí thư Đảng ủy xã Đông Anh", "Bí thư Đảng ủy"),
    "lanhdao.dongan": (
        "Phó Bí thư Thường trực Đảng ủy xã Đông Anh",
        "Phó Bí thư Thường trực",
    ),
    "vanphong.dongan": (
        "Phó Chánh Văn phòng Đảng ủy xã Đông Anh, theo dõi Chỉ thị 24-CT/TU",
        "Phó Chánh Văn phòng",
    ),
    "sonvm": ("Phó Bí thư Đảng ủy, Chủ tịch UBND xã Đông Anh", "Chủ tịch UBND xã"),
    "lanbt": ("Chuyên viên Văn phòng HĐND và UBND xã Đông Anh", "Chuyên viên"),
    "toanhv": ("Trưởng phòng Văn hóa – Xã hội xã Đông Anh", "Trưởng phòng"),
    "maint": ("Chuyên viên Phòng Văn hóa – Xã hội xã Đông Anh", "Chuyên viên"),
    "anhld": ("Chuyên viên Phòng Văn hóa – Xã hội xã Đông Anh", "Chuyên viên"),
    "thuypt": ("Chánh Văn phòng Đảng ủy xã Đông Anh", "Chánh Văn phòng"),
    "canbo.dongan": ("Chuyên viên Văn phòng Đảng ủy xã Đông Anh", "Chuyên viên"),
    "hatt": ("Chuyên viên Văn phòng Đảng ủy xã Đông Anh", "Chuyên viên"),
    "binhlv": ("Trưởng Ban Xây dựng Đảng xã Đông Anh", "Trưởng ban Xây dựng Đảng"),
    "anhdn": ("Chuyên viên Ban Xây dựng Đảng xã Đông Anh", "Chuyên viên"),
    "thangcv": ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã Đông Anh", "Chủ nhiệm"),
    "yentt": ("Cán bộ Ủy ban Kiểm tra Đảng ủy xã Đông Anh", "Cán bộ kiểm tra"),
    "cuongnv": ("Bí thư Đảng ủy xã Phúc Thịnh", "Bí thư Đảng ủy"),
    "hongpt": (
        "Công chức Văn phòng – Thống kê xã Phúc Thịnh",
        "Công chức Văn phòng – Thống kê",
    ),
    "namkv": (
        "Công chức Tư pháp – Hộ tịch xã Phúc Thịnh",
        "Công chức Tư pháp – Hộ tịch",
    ),
    "loidv": ("Phó Chủ tịch UBND xã Đông Anh", "Phó Chủ tịch UBND xã"),
    "thanhlt": (
        "Công chức Địa chính – Xây dựng xã Đông Anh",
        "Công chức Địa chính – Xây dựng",
    ),
    "ngavt": ("Phó Bí thư Đảng ủy xã Đông Anh", "Phó Bí thư Đảng ủy"),
    "dunghv": (
        "Công chức Văn phòng – Thống kê xã Đông Anh",
        "Công chức Văn phòng – Thống kê",
    ),
    "hungmv": ("Bí thư Đảng ủy xã Thư Lâm", "Bí thư Đảng ủy"),
    "loantt": ("Chuyên viên giúp việc Đảng ủy xã Thư Lâm", "Chuyên viên"),
    "baotq": ("Bí thư Đảng ủy phường Sơn Tây", "Bí thư Đảng ủy"),
    "lanhdao.sontay": (
        "Phó Bí thư Thường trực Đảng ủy phường Sơn Tây",
        "Phó Bí thư Thường trực",
    ),
    "trudc": (
        "Phó Bí thư Đảng ủy, Chủ tịch UBND phường Sơn Tây",
        "Chủ tịch UBND phường",
    ),
    "hienlt": ("Chuyên viên Văn phòng HĐND và UBND phường Sơn Tây", "Chuyên viên"),
    "dongkv": ("Chánh Văn phòng Đảng ủy phường Sơn Tây", "Chánh Văn phòng"),
    "canbo.sontay": ("Chuyên viên Văn phòng Đảng ủy phường Sơn Tây", "Chuyên viên"),
    "tunv": ("Chuyên viên Văn phòng Đảng ủy phường Sơn Tây", "Chuyên viên"),
    "lamqv": ("Trưởng Ban Xây dựng Đảng phường Sơn Tây", "Trưởng ban Xây dựng Đảng"),
    "minhdt": ("Chuyên viên Ban Xây dựng Đảng phường Sơn Tây", "Chuyên viên"),
    "duyenbt": ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy phường Sơn Tây", "Chủ nhiệm"),
    "hoalv": ("Cán bộ Ủy ban Kiểm tra Đảng ủy phường Sơn Tây", "Cán bộ kiểm tra"),
    "thond": ("Phó Bí thư Đảng ủy phường Sơn Tây", "Phó Bí thư Đảng ủy"),
    "vanpt": (
        "Công chức Văn phòng – Thống kê phường Sơn Tây",
        "Công chức Văn phòng – Thống kê",
    ),
    "haitv": ("Bí thư Đảng ủy phường Tùng Thiện", "Bí thư Đảng ủy"),
    "thudt": (
        "Công chức Tư pháp – Hộ tịch phường Tùng Thiện",
        "Công chức Tư pháp – Hộ tịch",
    ),
    "phuckv": ("Phó Chủ tịch UBND phường Sơn Tây", "Phó Chủ tịch UBND phường"),
    "nhunght": (
        "Công chức Địa chính – Xây dựng phường Sơn Tây",
        "Công chức Địa chính – Xây dựng",
    ),
    "lanvtn": ("Bí thư Đảng ủy phường Tây Hồ", "Bí thư Đảng ủy"),
    "phuocnh": (
        "Phó Bí thư Thường trực Đảng ủy phường Tây Hồ",
        "Phó Bí thư Thường trực",
    ),
    "khoitd": (
        "Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tây Hồ",
        "Chủ tịch UBND phường",
    ),
    "hoapt": ("Chuyên viên Văn phòng HĐND và UBND phường Tây Hồ", "Chuyên viên"),
    "quandv": ("Trưởng phòng Văn hóa – Xã hội phường Tây Hồ", "Trưởng phòng"),
    "huongnt": ("Chuyên viên Phòng Văn hóa – Xã hội phường Tây Hồ", "Chuyên viên"),
    "ducbm": ("Chuyên viên Phòng Văn hóa – Xã hội phường Tây Hồ", "Chuyên viên"),
    "sonlh": ("Chánh Văn phòng Đảng ủy phường Tây Hồ", "Chánh Văn phòng"),
    "trangntt": ("Chuyên viên Văn phòng Đảng ủy phường Tây Hồ", "Chuyên viên"),
    "chauhm": ("Trưởng Ban Xây dựng Đảng phường Tây Hồ", "Trưởng ban Xây dựng Đảng"),
    "tungvt": ("Chuyên viên Ban Xây dựng Đảng phường Tây Hồ", "Chuyên viên"),
    "huongdtt": ("Phó Bí thư Đảng ủy phường Tây Hồ", "Phó Bí thư Đảng ủy"),
    "kientv": (
        "Công chức Địa chính – Xây dựng phường Tây Hồ",
        "Công chức Địa chính – Xây dựng",
    ),
    "thanhnv": ("Phó Chủ tịch UBND phường Tây Hồ", "Phó Chủ tịch UBND phường"),
    "bichlt": (
        "Công chức Văn phòng – Thống kê phường Tây Hồ",
        "Công chức Văn phòng – Thống kê",
    ),
    "longpv": ("Bí thư Đảng ủy phường Phú Thượng", "Bí thư Đảng ủy"),
    "quynhht": (
        "Công chức Tư pháp – Hộ tịch phường Phú Thượng",
        "Công chức Tư pháp – Hộ tịch",
    ),
    "tuyennd": ("Bí thư Đảng ủy xã Thạch Thất", "Bí thư Đảng ủy"),
    "chiendv": (
        "Phó Bí thư Thường trực Đảng ủy xã Thạch Thất",
        "Phó Bí thư Thường trực",
    ),
    "hieupv": ("Phó Bí thư Đảng ủy, Chủ tịch UBND xã Thạch Thất", "Chủ tịch UBND xã"),
    "phuonglt": ("Chuyên viên Văn phòng HĐND và UBND xã Thạch Thất", "Chuyên viên"),
    "hangkt": ("Chánh Văn phòng Đảng ủy xã Thạch Thất", "Chánh Văn phòng"),
    "huynq": ("Chuyên viên Văn phòng Đảng ủy xã Thạch Thất", "Chuyên viên"),
    "hoant": ("Trưởng Ban Xây dựng Đảng xã Thạch Thất", "Trưởng ban Xây dựng Đảng"),
    "tiencv": ("Chuyên viên Ban Xây dựng Đảng xã Thạch Thất", "Chuyên viên"),
    "sangtv": ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã Thạch Thất", "Chủ nhiệm"),
    "luadt": ("Cán bộ Ủy ban Kiểm tra Đảng ủy xã Thạch Thất", "Cán bộ kiểm tra"),
    "hungkd": ("Cán bộ Ủy ban Kiểm tra Đảng ủy xã Thạch Thất", "Cán bộ kiểm tra"),
    "tuankv": ("Phó Bí thư Đảng ủy xã Thạch Thất", "Phó Bí thư Đảng ủy"),
    "haont": (
        "Công chức Văn phòng – Thống kê xã Thạch Thất",
        "Công chức Văn phòng – Thống kê",
    ),
    "sonpv": ("Phó Chủ tịch UBND xã Thạch Thất", "Phó Chủ tịch UBND xã"),
    "huedt": ("Công chức Văn hóa – Xã hội xã Thạch Thất", "Công chức Văn hóa – Xã hội"),
    "longcd": ("Phó Bí thư Đảng ủy, Chủ tịch UBND xã Hạ Bằng", "Phó Bí thư Đảng ủy"),
    "hanhlt": ("Công chức Tư pháp – Hộ tịch xã Hạ Bằng", "Công chức Tư pháp – Hộ tịch"),
    "thinhvv": ("Bí thư Đảng ủy xã Hạ Bằng", "Bí thư Đảng ủy"),
    "lienht": ("Chuyên viên giúp việc Đảng ủy xã Hạ Bằng", "Chuyên viên"),
}

# The city directive and the district plans that carry it out. ``key`` is how
# TASKS refer to them; ``parent`` is the key of the directive a plan serves.
DIRECTIVES = (
    {
        "key": "CT24",
        "number": "24-CT/TU",
        "kind": "directive",
        "issuing_unit": "HN",
        "issue_date": datetime.date(2023, 8, 7),
        "parent": None,
        "title": (
            "Về tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc "
            "trong hệ thống chính trị thành phố"
        ),
        "summary": (
            "Ban Thường vụ Thành ủy Hà Nội yêu cầu các cấp ủy, tổ chức đảng, cơ "
            "quan, đơn vị siết lại kỷ cương trong thực thi công vụ: mỗi việc giao "
            "phải rõ người, rõ việc, rõ tiến độ, rõ kết quả, rõ trách nhiệm; không "
            "để tình trạng đùn đẩy, né tránh hay chuyển việc lên cấp trên, sang nơi "
            "khác; người đứng đầu phải gương mẫu và chịu trách nhiệm về kết quả của "
            "đơn vị."
        ),
        "items": (
            (
                "1",
                "Rà soát, sửa đổi quy chế làm việc; phân công nhiệm vụ theo “5 rõ”: "
                "rõ người, rõ việc, rõ tiến độ, rõ kết quả, rõ trách nhiệm.",
            ),
            (
                "2",
                "Chấn chỉnh, xử lý nghiêm việc đùn đẩy, né tránh, chuyển việc lên "
                "cấp trên hoặc sang cơ quan khác; ý kiến tham mưu phải rõ quan "
                "điểm, không vòng vo.",
            ),
            (
                "3",
                "Tăng cường kiểm tra, nhất là kiểm tra đột xuất việc giải quyết thủ "
                "tục hành chính, chấp hành giờ làm việc, nội quy, quy tắc ứng xử và "
                "thái độ phục vụ người dân, doanh nghiệp.",
            ),
            (
                "4",
                "Giám sát tổ chức đảng và người đứng đầu trong lãnh đạo, chỉ đạo "
                "thực hiện chỉ thị; kịp thời chấn chỉnh hạn chế được phát hiện.",
            ),
            (
                "5",
                "Chấm điểm, đánh giá chéo cán bộ, công chức, viên chức hằng tháng; "
                "dùng kết quả làm căn cứ khen thưởng, không bình quân chủ nghĩa.",
            ),
            (
                "6",
                "Cán bộ lãnh đạo, người đứng đầu đăng ký và trực tiếp giải quyết "
                "việc khó, việc nóng của địa phương, đơn vị.",
            ),
            (
                "7",
                "Phấn đấu 100% công việc được giải quyết đúng hạn; lấy mức độ hài "
                "lòng của người dân, doanh nghiệp làm thước đo.",
            ),
            (
                "8",
                "Gắn kết quả thực hiện chỉ thị với đánh giá, phân loại hằng năm; "
                "thay thế, điều chuyển người không đáp ứng yêu cầu nhiệm vụ.",
            ),
            (
                "9",
                "Thông tin, tuyên truyền; công khai kết quả thực hiện để người dân "
                "và cán bộ cùng giám sát.",
            ),
        ),
    },
    {
        "key": "KH-DA",
        "number": "112-KH/HU",
        "kind": "plan",
        "issuing_unit": "HN.DA-2023",
        "issue_date": datetime.date(2023, 8, 28),
        "parent": "CT24",
        "title": (
            "Thực hiện Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy về tăng cường "
            "kỷ cương, kỷ luật và trách nhiệm giải quyết công việc"
        ),
        "summary": (
            "Huyện ủy Đông Anh cụ thể hóa chỉ thị bằng quy chế giải quyết công việc "
            "theo “5 rõ”, chấm điểm chéo hằng tháng và mục tiêu mọi công việc của "
            "phòng, ban, xã, thị trấn được giải quyết đúng hạn."
        ),
        "items": (
            (
                "1",
                "Xây dựng, ban hành quy chế giải quyết công việc theo tinh thần "
                "“5 rõ” tại các cơ quan, đơn vị của huyện.",
            ),
            (
                "2",
                "Chấm điểm, đánh giá chéo cán bộ, đảng viên, công chức, viên chức "
                "theo tháng để khen thưởng đúng người, đúng việc.",
            ),
            (
                "3",
                "Bảo đảm 100% công việc của các phòng, ban, UBND xã, thị trấn được "
                "giải quyết đúng hạn.",
            ),
            (
                "4",
                "Kiểm tra, giám sát thường xuyên; chấn chỉnh kịp thời biểu hiện đùn "
                "đẩy, né tránh, ngại va chạm.",
            ),
        ),
    },
    {
        "key": "KH-ST",
        "number": "95-KH/TU",
        "kind": "plan",
        "issuing_unit": "HN.ST-2023",
        "issue_date": datetime.date(2023, 9, 5),
        "parent": "CT24",
        "title": (
            "Triển khai thực hiện Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy trong "
            "Đảng bộ thị xã Sơn Tây"
        ),
        "summary": (
            "Thị ủy Sơn Tây giao từng cơ quan, phường, xã đầu việc cụ thể; cấp ủy "
            "viên và người đứng đầu làm gương trước."
        ),
        "items": (
            (
                "1",
                "Quán triệt chỉ thị tới toàn thể cán bộ, đảng viên; cấp ủy viên, "
                "người đứng đầu gương mẫu thực hiện trước.",
            ),
            (
                "2",
                "Rà soát việc chấp hành phân công, điều động của tổ chức; xử lý "
                "nghiêm trường hợp né tránh, đùn đẩy.",
            ),
            ("3", "Nâng cao chất lượng phục vụ người dân tại bộ phận một cửa các cấp."),
        ),
    },
)

# The plans the main successors issued after 1/7/2025 to carry the directive
# on: the current tasks serve them (the 2023 plans above stay with the
# district committees that issued them).
DIRECTIVES_2025 = (
    {
        "key": "KH-DA25",
        "number": "03-KH/ĐU",
        "kind": "plan",
        "issuing_unit": "HN.DA",
        "issue_date": datetime.date(2025, 7, 18),
        "parent": "CT24",
        "title": (
            "Tiếp tục thực hiện Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy sau "
            "sắp xếp đơn vị hành chính cấp xã"
        ),
        "summary": (
            "Đảng ủy xã Đông Anh kế thừa kế hoạch của Huyện ủy Đông Anh: giữ quy "
            "chế “5 rõ”, chấm điểm chéo hằng tháng và mục tiêu mọi công việc của "
            "các cơ quan, đơn vị trong xã được giải quyết đúng hạn."
        ),
        "items": (
            (
                "1",
                "Rà soát, ban hành lại quy chế giải quyết công việc theo tinh thần "
                "“5 rõ” tại các cơ quan, đơn vị của xã.",
            ),
            (
                "2",
                "Chấm điểm, đánh giá chéo cán bộ, đảng viên, công chức theo tháng "
                "để khen thưởng đúng người, đúng việc.",
            ),
            (
                "3",
                "Bảo đảm 100% công việc của các cơ quan Đảng, chính quyền xã được "
                "giải quyết đúng hạn.",
            ),
            (
                "4",
                "Kiểm tra, giám sát thường xuyên; chấn chỉnh kịp thời biểu hiện đùn "
                "đẩy, né tránh, ngại va chạm.",
            ),
        ),
    },
    {
        "key": "KH-ST25",
        "number": "02-KH/ĐU",
        "kind": "plan",
        "issuing_unit": "HN.ST",
        "issue_date": datetime.date(2025, 7, 15),
        "parent": "CT24",
        "title": (
            "Tiếp tục triển khai Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy trong "
            "Đảng bộ phường Sơn Tây"
        ),
        "summary": (
            "Đảng ủy phường Sơn Tây kế thừa kế hoạch của Thị ủy Sơn Tây, giao đầu "
            "việc cho từng cơ quan, chi bộ; cấp ủy viên và người đứng đầu làm gương "
            "trước."
        ),
        "items": (
            (
                "1",
                "Quán triệt chỉ thị tới toàn thể cán bộ, đảng viên; cấp ủy viên, "
                "người đứng đầu gương mẫu thực hiện trước.",
            ),
            (
                "2",
                "Rà soát việc chấp hành phân công, điều động của tổ chức; xử lý "
                "nghiêm trường hợp né tránh, đùn đẩy.",
            ),
            ("3", "Nâng cao chất lượng phục vụ người dân tại bộ phận một cửa phường."),
        ),
    },
)

# Steps, run in order through tasks.services after the task is created:
#   ("start",)                              the assignee starts work
#   ("progress", percent, note)             a progress report by the assignee
#   ("submit", day, actual result)          the assignee reports it done on day
#   ("approve", comment)                    the accountable leader confirms
#   ("return", comment)                     the accountable leader sends it back
#   ("extend", day, reason)                 the assignee asks for a new deadline
#   ("extend_ok", note)                     the accountable leader approves it
#   ("transfer", unit, assignee, reason, new accountable leader or None)
#                                           the assigner moves it to another unit
#   ("hand_back", reason)                   the assignee asks to hand it back
#   ("hand_back_ok", note)                  the assigner accepts the hand-back
#   ("cancel", reason)                      the assigner cancels it
# Task keys: doc (a DIRECTIVES key), item, lead, assignee, leader (accountable),
# by (who assigns), coord, start, deadline, hard, hot, steps.
# Work on the 2023 tree, from the district plans of 2023 to 30/6/2025: done
# on time, done late, and two tasks still open when the district level ended,
# which the reorganisation moves to the successor; "after" holds the steps
# taken there (dates on or after REORGANISED_ON).
PAST_TASKS = (
    {
        "title": (
            "Ban hành kế hoạch thực hiện Chỉ thị số 24-CT/TU của Huyện ủy Đông Anh"
        ),
        "description": (
            "Cụ thể hóa chỉ thị thành kế hoạch của Ban Thường vụ Huyện ủy, giao đầu "
            "việc cho từng phòng, ban, xã, thị trấn, có thời hạn và người chịu "
            "trách nhiệm."
        ),
        "expected": (
            "Kế hoạch của Ban Thường vụ Huyện ủy được ban hành và gửi Thành ủy."
        ),
        "doc": "CT24",
        "item": "1",
        "lead": "HN.DA-2023",
        "assignee": "lanhdao.dongan",
        "leader": "hautd",
        "by": "thinhpq",
        "start": datetime.date(2023, 8, 10),
        "deadline": datetime.date(2023, 8, 31),
        "steps": (
            ("progress", 60, "Đã có dự thảo, đang lấy ý kiến các ban xây dựng Đảng."),
            (
                "submit",
                datetime.date(2023, 8, 28),
                "Kế hoạch số 112-KH/HU đã ban hành ngày 28/8/2023.",
            ),
            ("approve", "Kế hoạch bám sát chỉ thị, giao việc cụ thể."),
        ),
    },
    {
        "title": "Ban hành kế hoạch thực hiện Chỉ thị số 24-CT/TU của Thị ủy Sơn Tây",
        "description": (
            "Xây dựng kế hoạch triển khai chỉ thị trong Đảng bộ thị xã, kèm theo lịch "
            "hội nghị quán triệt và phân công theo dõi."
        ),
        "expected": "Kế hoạch của Ban Thường vụ Thị ủy được ban hành và gửi Thành ủy.",
        "doc": "CT24",
        "item": "1",
        "lead": "HN.ST-2023",
        "assignee": "lanhdao.sontay",
        "leader": "baotq",
        "by": "thinhpq",
        "start": datetime.date(2023, 8, 10),
        "deadline": datetime.date(2023, 8, 31),
        "steps": (
            ("progress", 70, "Dự thảo đã trình Thường trực Thị ủy."),
            (
                "submit",
                datetime.date(2023, 9, 5),
                "Kế hoạch số 95-KH/TU đã ban hành ngày 05/9/2023.",
            ),
            ("approve", "Ghi nhận; lưu ý bảo đảm thời hạn ở các văn bản sau."),
        ),
    },
    {
        "title": (
            "Tổ chức hội nghị quán triệt Chỉ thị 24-CT/TU trong toàn Đảng bộ thị xã"
        ),
        "description": (
            "Chuẩn bị tài liệu, giấy mời, báo cáo đề dẫn; tổ chức hội nghị trực tiếp "
            "và trực tuyến tới các đảng bộ, chi bộ."
        ),
        "expected": "Hội nghị được tổ chức, có danh sách đảng viên dự.",
        "doc": "KH-ST",
        "item": "1",
        "lead": "HN.ST.VP-2023",
        "assignee": "canbo.sontay",
        "leader": "lanhdao.sontay",
        "by": "lanhdao.sontay",
        "start": datetime.date(2023, 8, 15),
        "deadline": datetime.date(2023, 9, 15),
        "steps": (
            (
                "submit",
                datetime.date(2023, 9, 12),
                "Hội nghị đã tổ chức tại 38 điểm cầu.",
            ),
            ("approve", ""),
        ),
    },
    {
        "title": "Báo cáo kết quả thực hiện Chỉ thị số 24-CT/TU năm 2024 của huyện",
        "description": (
            "Tổng hợp kết quả của các phòng, ban, xã, thị trấn trong năm: tỷ lệ việc "
            "giải quyết đúng hạn, việc khó đã đăng ký, kết quả kiểm tra đột xuất."
        ),
        "expected": "Báo cáo năm của Ban Thường vụ Huyện ủy gửi Thành ủy.",
        "doc": "KH-DA",
        "item": "3",
        "lead": "HN.DA.VP-2023",
        "assignee": "canbo.dongan",
        "leader": "thuypt",
        "by": "lanhdao.dongan",
        "start": datetime.date(2024, 11, 18),
        "deadline": datetime.date(2024, 12, 20),
        "steps": (
            ("progress", 60, "Đã có số liệu của 24/26 đơn vị."),
            (
                "submit",
                datetime.date(2024, 12, 18),
                "Báo cáo đã trình Ban Thường vụ và gửi Thành ủy.",
            ),
            ("approve", "Số liệu đầy đủ, đúng hạn."),
        ),
    },
    {
        "title": (
            "Rà soát hồ sơ thủ tục hành chính quá hạn tại Bộ phận một cửa huyện "
            "quý I/2025"
        ),
        "description": (
            "Thống kê hồ sơ trễ hạn theo lĩnh vực, chỉ rõ khâu chậm và người xử lý; "
            "đề xuất biện pháp khắc phục."
        ),
        "expected": "Báo cáo rà soát kèm danh sách hồ sơ trễ hạn và biện pháp.",
        "doc": "KH-DA",
        "item": "3",
        "lead": "HN.DA.UBND.PNV-2023",
        "assignee": "maint",
        "leader": "toanhv",
        "by": "sonvm",
        "start": datetime.date(2025, 2, 10),
        "deadline": datetime.date(2025, 3, 31),
        "steps": (
            ("progress", 50, "Đã rà soát lĩnh vực đất đai và xây dựng."),
            (
                "submit",
                datetime.date(2025, 4, 9),
                "Báo cáo rà soát 214 hồ sơ trễ hạn của quý I.",
            ),
            ("approve", "Chậm hơn một tuần so với hạn; rút kinh nghiệm."),
        ),
    },
    {
        "title": (
            "Lập hồ sơ bàn giao tài liệu, con dấu của cơ quan Huyện ủy khi sắp xếp "
            "đơn vị hành chính"
        ),
        "description": (
            "Thống kê, phân loại tài liệu lưu trữ và con dấu của cơ quan Huyện ủy; "
            "lập biên bản bàn giao cho đơn vị kế thừa."
        ),
        "expected": "Biên bản bàn giao có danh mục tài liệu, ký đủ hai bên.",
        "doc": "KH-DA",
        "item": "1",
        "lead": "HN.DA.VP-2023",
        "assignee": "hatt",
        "leader": "thuypt",
        "by": "lanhdao.dongan",
        "start": datetime.date(2025, 5, 19),
        "deadline": datetime.date(2025, 7, 31),
        "steps": (("progress", 50, "Đã thống kê xong tài liệu lưu trữ đến năm 2020."),),
        "after": (
            ("progress", 90, "Đã bàn giao tài liệu cho Văn phòng Đảng ủy xã."),
            (
                "submit",
                datetime.date(2025, 7, 25),
                "Biên bản bàn giao 1.260 hồ sơ lưu trữ và con dấu đã ký.",
            ),
            ("approve", "Bàn giao đầy đủ, đúng hạn."),
        ),
    },
    {
        "title": (
            "Giải quyết đơn kiến nghị về cấp giấy chứng nhận quyền sử dụng đất tại "
            "xã Uy Nỗ"
        ),
        "description": (
            "Kiểm tra hồ sơ, xác minh nguồn gốc đất và trả lời bằng văn bản cho các "
            "hộ kiến nghị."
        ),
        "expected": "Các hộ nhận văn bản trả lời; hồ sơ đủ điều kiện được cấp.",
        "doc": "KH-DA",
        "item": "3",
        "lead": "HN.DA.UN-2023",
        "assignee": "thanhlt",
        "leader": "loidv",
        "by": "loidv",
        "start": datetime.date(2025, 4, 1),
        "deadline": datetime.date(2025, 6, 20),
        "steps": (("progress", 60, "Đã trả lời 6/10 hộ; 4 hồ sơ chờ trích đo."),),
        "after": (
            ("progress", 80, "Xã mới đã tiếp nhận hồ sơ; còn 2 hộ chờ trích đo."),
            (
                "submit",
                datetime.date(2025, 9, 12),
                "Đã trả lời đủ 10 hộ; 8 hồ sơ được cấp giấy chứng nhận.",
            ),
            ("approve", "Hoàn thành nhưng quá hạn gần ba tháng."),
        ),
    },
    {
        "title": (
            "Kiểm tra đột xuất việc chấp hành giờ làm việc tại bộ phận một cửa các "
            "phường, xã"
        ),
        "description": (
            "Kiểm tra không báo trước tại bộ phận một cửa; lập biên bản, nêu tên "
            "đơn vị và cá nhân vi phạm."
        ),
        "expected": "Thông báo kết quả kiểm tra gửi các phường, xã.",
        "doc": "KH-ST",
        "item": "2",
        "lead": "HN.ST.UBKT-2023",
        "assignee": "hoalv",
        "leader": "duyenbt",
        "by": "lanhdao.sontay",
        "start": datetime.date(2024, 3, 4),
        "deadline": datetime.date(2024, 4, 15),
        "steps": (
            ("progress", 70, "Đã kiểm tra 10/15 phường, xã."),
            (
                "submit",
                datetime.date(2024, 4, 12),
                "Đã kiểm tra 15/15 đơn vị; 2 trường hợp bị nhắc nhở.",
            ),
            ("approve", "Đạt yêu cầu."),
        ),
    },
    {
        "title": "Báo cáo kết quả thực hiện Chỉ thị số 24-CT/TU năm 2024 của thị xã",
        "description": (
            "Tổng hợp kết quả của các cơ quan, phường, xã trong năm; nêu đơn vị làm "
            "tốt và đơn vị còn việc quá hạn."
        ),
        "expected": "Báo cáo năm của Ban Thường vụ Thị ủy gửi Thành ủy.",
        "doc": "KH-ST",
        "item": "1",
        "lead": "HN.ST.VP-2023",
        "assignee": "canbo.sontay",
        "leader": "dongkv",
        "by": "lanhdao.sontay",
        "start": datetime.date(2024, 11, 18),
        "deadline": datetime.date(2024, 12, 20),
        "steps": (
            ("progress", 50, "Còn thiếu số liệu của ba phường."),
            (
                "submit",
                datetime.date(2024, 12, 27),
                "Báo cáo đã gửi Thành ủy.",
            ),
            ("approve", "Chậm một tuần; các phường cần gửi số liệu sớm hơn."),
        ),
    },
    {
        "title": "Sơ kết một năm thực hiện Chỉ thị số 24-CT/TU tại quận Tây Hồ",
        "description": (
            "Đánh giá một năm thực hiện chỉ thị trên địa bàn quận: số việc giải "
            "quyết đúng hạn, kết quả kiểm tra đột xuất, việc khó đã đăng ký."
        ),
        "expected": "Báo cáo sơ kết của Ban Thường vụ Quận ủy gửi Thành ủy.",
        "doc": "CT24",
        "item": "7",
        "lead": "HN.TH-2023",
        "assignee": "phuocnh",
        "leader": "lanvtn",
        "by": "thinhpq",
        "start": datetime.date(2024, 7, 15),
        "deadline": datetime.date(2024, 8, 30),
        "steps": (
            ("progress", 60, "Đã tổng hợp số liệu của 8/8 phường."),
            (
                "submit",
                datetime.date(2024, 8, 28),
                "Báo cáo sơ kết đã gửi Thành ủy.",
            ),
            ("approve", "Đúng hạn, số liệu rõ."),
        ),
    },
    {
        "title": "Kiểm tra việc giải quyết hồ sơ đất đai tồn đọng tại các xã, thị trấn",
        "description": (
            "Kiểm tra việc phân loại và giải quyết hồ sơ đất đai tồn đọng tại các "
            "xã, thị trấn; kiến nghị xử lý trách nhiệm nơi để chậm."
        ),
        "expected": "Thông báo kết luận kiểm tra của Ủy ban Kiểm tra Huyện ủy.",
        "doc": "CT24",
        "item": "3",
        "lead": "HN.TT.UBKT-2023",
        "assignee": "luadt",
        "leader": "sangtv",
        "by": "chiendv",
        "start": datetime.date(2025, 1, 6),
        "deadline": datetime.date(2025, 3, 14),
        "steps": (
            ("progress", 40, "Đã kiểm tra 9/23 xã, thị trấn."),
            (
                "submit",
                datetime.date(2025, 3, 26),
                "Thông báo kết luận kiểm tra 23 xã, thị trấn.",
            ),
            ("approve", "Quá hạn; cần lập kế hoạch sát hơn."),
        ),
    },
)


TASKS = (
    # --- Thành ủy → the new communes and wards ---------------------------------
    {
        "title": "Báo cáo sơ kết việc thực hiện Chỉ thị số 24-CT/TU tại phường Tây Hồ",
        "description": (
            "Đánh giá kết quả thực hiện chỉ thị trên địa bàn phường: số việc giải "
            "quyết đúng hạn, kết quả kiểm tra đột xuất, việc khó đã đăng ký."
        ),
        "expected": "Báo cáo sơ kết của Ban Thường vụ Đảng ủy phường gửi Thành ủy.",
        "doc": "CT24",
        "item": "7",
        "lead": "HN.TH",
        "assignee": "phuocnh",
        "leader": "lanvtn",
        "by": "thinhpq",
        "start": -30,
        "deadline": 8,
        "steps": (("progress", 50, "Đã tổng hợp số liệu của 12/12 tổ dân phố."),),
    },
    {
        "title": (
            "Báo cáo kết quả giám sát việc thực hiện Chỉ thị số 24-CT/TU tại xã "
            "Thạch Thất"
        ),
        "description": (
            "Tổng hợp kết quả giám sát của ba đoàn giám sát của Đảng ủy xã đối với 29 "
            "tổ chức đảng và 29 người đứng đầu; nêu hạn chế và việc khắc phục."
        ),
        "expected": "Báo cáo của Ban Thường vụ Đảng ủy xã gửi Thành ủy.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT",
        "assignee": "chiendv",
        "leader": "tuyennd",
        "by": "thinhpq",
        "start": -25,
        "deadline": -3,
        "steps": (("progress", 70, "Còn chờ kết quả của Đoàn giám sát số 3."),),
    },
    # --- Đông Anh ------------------------------------------------------------
    {
        "title": (
            "Xây dựng Quy chế giải quyết công việc theo tinh thần “5 rõ” của cơ quan "
            "Đảng ủy xã"
        ),
        "description": (
            "Soạn quy chế quy định cách giao, nhận, theo dõi và đánh giá từng việc "
            "trong cơ quan Đảng ủy xã: ai làm, làm gì, hạn nào, sản phẩm gì, ai chịu "
            "trách nhiệm."
        ),
        "expected": "Quy chế được Ban Thường vụ Đảng ủy xã thông qua và ban hành.",
        "doc": "KH-DA25",
        "item": "1",
        "lead": "HN.DA.VP",
        "assignee": "canbo.dongan",
        "leader": "thuypt",
        "by": "lanhdao.dongan",
        "start": -70,
        "deadline": -45,
        "hard": True,
        "steps": (
            ("progress", 40, "Đã có đề cương, xin ý kiến các ban."),
            ("progress", 80, "Đã hoàn thiện dự thảo sau góp ý."),
            ("submit", -47, "Quy chế đã được Ban Thường vụ thông qua, ban hành."),
            ("approve", "Đạt yêu cầu."),
        ),
    },
    {
        "title": (
            "Hướng dẫn các cơ quan, đơn vị của xã rà soát quy chế làm việc theo “5 rõ”"
        ),
        "description": (
            "Ban hành hướng dẫn và mẫu quy chế; đôn đốc các đơn vị rà soát, sửa đổi "
            "quy chế làm việc của mình."
        ),
        "expected": "Văn bản hướng dẫn và danh sách đơn vị đã sửa đổi quy chế.",
        "doc": "KH-DA25",
        "item": "1",
        "lead": "HN.DA.UBND.VHXH",
        "assignee": "maint",
        "leader": "toanhv",
        "by": "sonvm",
        "coord": ("HN.DA.VP",),
        "start": -65,
        "deadline": -40,
        "steps": (
            ("progress", 50, "Đã gửi hướng dẫn; 12/26 đơn vị đã gửi dự thảo."),
            ("submit", -38, "Hướng dẫn đã ban hành; 26/26 đơn vị đã sửa đổi quy chế."),
            ("approve", "Chậm hai ngày so với hạn; rút kinh nghiệm."),
        ),
    },
    {
        "title": (
            "Xây dựng bộ tiêu chí chấm điểm, đánh giá chéo cán bộ, công chức hằng tháng"
        ),
        "description": (
            "Đề xuất tiêu chí và thang điểm chấm hằng tháng (việc đúng hạn, trễ hạn, "
            "việc khó, ý kiến đánh giá chéo) để khen thưởng không cào bằng."
        ),
        "expected": (
            "Bộ tiêu chí được Thường trực Đảng ủy xã phê duyệt, áp dụng từ tháng sau."
        ),
        "doc": "KH-DA25",
        "item": "2",
        "lead": "HN.DA.BTC",
        "assignee": "anhdn",
        "leader": "binhlv",
        "by": "lanhdao.dongan",
        "coord": ("HN.DA.UBND.VHXH",),
        "start": -60,
        "deadline": -35,
        "hard": True,
        "steps": (
            ("progress", 30, "Đã khảo sát cách làm của hai phường bạn."),
            ("progress", 75, "Đã chạy thử bộ tiêu chí tại Văn phòng Đảng ủy xã."),
            ("submit", -36, "Bộ tiêu chí đã được phê duyệt."),
            ("approve", "Đồng ý áp dụng."),
        ),
    },
    {
        "title": "Tổng hợp kết quả chấm điểm, đánh giá chéo tháng {m2}",
        "description": (
            "Thu phiếu chấm điểm của các đơn vị khối Đảng, tổng hợp, đối chiếu kết "
            "quả tự chấm với đánh giá chéo."
        ),
        "expected": "Bảng tổng hợp điểm của từng cán bộ trình Thường trực Đảng ủy xã.",
        "doc": "KH-DA25",
        "item": "2",
        "lead": "HN.DA.VP",
        "assignee": "canbo.dongan",
        "leader": "thuypt",
        "by": "thuypt",
        "start": -45,
        "deadline": -25,
        "steps": (
            ("progress", 60, "Còn thiếu phiếu của hai đơn vị."),
            ("submit", -22, "Đã trình bảng tổng hợp điểm."),
            ("approve", "Tháng sau cần nộp đúng hạn."),
        ),
    },
    {
        "title": "Tổng hợp kết quả chấm điểm, đánh giá chéo tháng {m1}",
        "description": (
            "Thu phiếu chấm điểm của các đơn vị khối Đảng, tổng hợp và đối chiếu kết "
            "quả tự chấm với đánh giá chéo."
        ),
        "expected": "Bảng tổng hợp điểm của từng cán bộ trình Thường trực Đảng ủy xã.",
        "doc": "KH-DA25",
        "item": "2",
        "lead": "HN.DA.VP",
        "assignee": "canbo.dongan",
        "leader": "thuypt",
        "by": "thuypt",
        "start": -12,
        "deadline": -2,
        "steps": (("progress", 60, "Đã nhận phiếu của 9/11 đơn vị."),),
    },
    {
        "title": (
            "Báo cáo tỷ lệ công việc giải quyết đúng hạn của các cơ quan, đơn vị "
            "trong xã"
        ),
        "description": (
            "Tổng hợp số việc được giao, đã xong, đúng hạn, trễ hạn của từng đơn vị "
            "trong quý; chỉ rõ đơn vị có việc quá hạn."
        ),
        "expected": "Báo cáo quý kèm bảng số liệu theo đơn vị.",
        "doc": "KH-DA25",
        "item": "3",
        "lead": "HN.DA.VP",
        "assignee": "canbo.dongan",
        "leader": "lanhdao.dongan",
        "by": "lanhdao.dongan",
        "coord": ("HN.DA.UBND", "HN.DA.UBND.VHXH"),
        "start": -15,
        "deadline": 2,
        "steps": (
            ("progress", 30, "Mới có số liệu của 14/26 đơn vị."),
            (
                "extend",
                12,
                "Một số xã chưa gửi số liệu; đề nghị lùi hạn để báo cáo đủ 26 đơn vị.",
            ),
        ),
    },
    {
        "title": (
            "Rà soát danh mục nhiệm vụ trọng tâm của cơ quan Đảng ủy xã theo “5 rõ”"
        ),
        "description": (
            "Lập danh mục nhiệm vụ trọng tâm của năm; mỗi nhiệm vụ ghi rõ đơn vị chủ "
            "trì, người thực hiện, hạn, sản phẩm và lãnh đạo phụ trách."
        ),
        "expected": "Danh mục nhiệm vụ trọng tâm trình Thường trực Đảng ủy xã.",
        "doc": "KH-DA25",
        "item": "1",
        "lead": "HN.DA.VP",
        "assignee": "canbo.dongan",
        "leader": "lanhdao.dongan",
        "by": "lanhdao.dongan",
        "start": -20,
        "deadline": 5,
        "steps": (
            ("progress", 60, "Đã rà soát xong khối Đảng."),
            ("submit", -6, "Đã lập danh mục 42 nhiệm vụ trọng tâm."),
            ("return", "Danh mục còn thiếu đơn vị phối hợp ở 7 nhiệm vụ; bổ sung."),
            ("progress", 90, "Đã bổ sung đơn vị phối hợp."),
            ("submit", -1, "Danh mục 42 nhiệm vụ, đủ đơn vị chủ trì và phối hợp."),
        ),
    },
    {
        "title": (
            "Cập nhật chuyên mục Chỉ thị 24-CT/TU, công khai kết quả thực hiện hằng "
            "tháng"
        ),
        "description": (
            "Mở và cập nhật chuyên mục trên trang thông tin điện tử của xã; đăng "
            "kết quả giải quyết công việc của các đơn vị mỗi tháng."
        ),
        "expected": "Chuyên mục hoạt động, kết quả tháng được đăng trước ngày 10.",
        "doc": "CT24",
        "item": "9",
        "lead": "HN.DA.UBND.VHXH",
        "assignee": "anhld",
        "leader": "toanhv",
        "by": "lanhdao.dongan",
        "start": -12,
        "deadline": 15,
        "steps": (
            (
                "transfer",
                "HN.DA.VP",
                "canbo.dongan",
                "Tuyên truyền trong hệ thống Đảng do Văn phòng Đảng ủy xã tham mưu.",
                "thuypt",
            ),
            (
                "progress",
                20,
                "Đã thống nhất bố cục chuyên mục với Phòng Văn hóa – Xã hội.",
            ),
        ),
    },
    {
        "title": (
            "Tháo gỡ vướng mắc giải phóng mặt bằng một dự án hạ tầng trọng điểm "
            "trên địa bàn xã"
        ),
        "description": (
            "Việc khó do Chủ tịch UBND xã đăng ký: trực tiếp đối thoại với các hộ "
            "chưa bàn giao mặt bằng, giải quyết dứt điểm kiến nghị về bồi thường."
        ),
        "expected": "Bàn giao toàn bộ mặt bằng cho chủ đầu tư.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.DA.UBND",
        "assignee": "sonvm",
        "leader": "hautd",
        "by": "hautd",
        "start": -40,
        "deadline": 25,
        "hard": True,
        "hot": True,
        "steps": (("progress", 45, "Đã bàn giao 31/52 hộ; còn 21 hộ đang đối thoại."),),
    },
    {
        "title": "Giải quyết dứt điểm đơn thư kéo dài về đất đai tại khu vực Uy Nỗ",
        "description": (
            "Việc khó do Phó Chủ tịch UBND xã đăng ký: rà soát hồ sơ gốc, tổ chức "
            "đối thoại và trả lời bằng văn bản cho người dân."
        ),
        "expected": "Các đơn thư được trả lời, không còn đơn vượt cấp.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.DA",
        "assignee": "loidv",
        "leader": "lanhdao.dongan",
        "by": "lanhdao.dongan",
        "start": -50,
        "deadline": -5,
        "hard": True,
        "steps": (("progress", 70, "Đã giải quyết 5/7 đơn; 2 đơn chờ trích đo."),),
    },
    {
        "title": (
            "Giải quyết kiến nghị của người dân về ngập úng trên tuyến kênh tiêu liên "
            "xã"
        ),
        "description": (
            "Khảo sát hiện trạng tuyến kênh, xác định nguyên nhân ngập cục bộ và "
            "phương án nạo vét, trả lời người dân."
        ),
        "expected": "Phương án xử lý được phê duyệt và văn bản trả lời người dân.",
        "doc": "KH-DA25",
        "item": "4",
        "lead": "HN.DA.UBND.KT",
        "assignee": "thoalt",
        "leader": "lanhdao.dongan",
        "by": "lanhdao.dongan",
        "start": -10,
        "deadline": 10,
        "steps": (
            (
                "hand_back",
                "Tuyến kênh đi qua ba xã và do công ty thủy lợi của thành phố quản "
                "lý, vượt thẩm quyền của phòng.",
            ),
            ("hand_back_ok", "Đồng ý; UBND xã sẽ trực tiếp chủ trì."),
            (
                "transfer",
                "HN.DA.UBND",
                "lanbt",
                "Giao UBND xã chủ trì, làm việc với công ty thủy lợi và các xã bạn.",
                "sonvm",
            ),
        ),
    },
    {
        "title": (
            "Kiểm tra đột xuất việc thực hiện quy chế làm việc tại một số chi bộ, "
            "đảng bộ cơ sở"
        ),
        "description": (
            "Kiểm tra không báo trước việc phân công, theo dõi và đánh giá công việc "
            "tại ba tổ chức đảng cơ sở."
        ),
        "expected": "Thông báo kết luận kiểm tra, nêu rõ việc phải khắc phục.",
        "doc": "KH-DA25",
        "item": "4",
        "lead": "HN.DA.UBKT",
        "assignee": "yentt",
        "leader": "thangcv",
        "by": "lanhdao.dongan",
        "start": -30,
        "deadline": -10,
        "steps": (
            ("progress", 50, "Đã kiểm tra hai tổ chức đảng."),
            ("submit", -12, "Đã ban hành thông báo kết luận kiểm tra."),
            ("approve", "Đạt yêu cầu."),
        ),
    },
    {
        "title": (
            "Niêm yết công khai thủ tục hành chính và đường dây nóng tại bộ phận một "
            "cửa xã"
        ),
        "description": (
            "Cập nhật bảng niêm yết thủ tục, thời hạn, phí; công bố số điện thoại "
            "đường dây nóng của lãnh đạo xã."
        ),
        "expected": "Bảng niêm yết mới và ảnh chụp minh chứng.",
        "doc": "KH-DA25",
        "item": "3",
        "lead": "HN.PT",
        "assignee": "hongpt",
        "leader": "cuongnv",
        "by": "cuongnv",
        "start": -40,
        "deadline": -30,
        "steps": (
            ("submit", -31, "Đã niêm yết 86 thủ tục và số đường dây nóng."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Khảo sát mức độ hài lòng của người dân khi giải quyết thủ tục hành chính"
        ),
        "description": (
            "Phát phiếu khảo sát tại bộ phận một cửa và qua mã QR trong một tháng; "
            "tổng hợp ý kiến góp ý."
        ),
        "expected": "Báo cáo kết quả khảo sát, tỷ lệ hài lòng và kiến nghị khắc phục.",
        "doc": "KH-DA25",
        "item": "3",
        "lead": "HN.PT",
        "assignee": "hongpt",
        "leader": "cuongnv",
        "by": "cuongnv",
        "start": -10,
        "deadline": 3,
        "steps": (("progress", 50, "Đã thu 214 phiếu."),),
    },
    {
        "title": "Chấn chỉnh việc chấp hành giờ làm việc, nội quy tại trụ sở xã",
        "description": (
            "Quán triệt lại nội quy, bố trí sổ theo dõi giờ làm việc và phân công "
            "người kiểm tra hằng tuần."
        ),
        "expected": "Nội quy sửa đổi và sổ theo dõi được áp dụng.",
        "doc": "KH-DA25",
        "item": "4",
        "lead": "HN.DA",
        "assignee": "dunghv",
        "leader": "ngavt",
        "by": "ngavt",
        "start": -30,
        "deadline": -15,
        "steps": (
            ("progress", 60, "Đã quán triệt tại giao ban."),
            ("submit", -16, "Nội quy sửa đổi đã ban hành, sổ theo dõi đã dùng."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Xử lý dứt điểm lấn chiếm vỉa hè, lòng đường trên các tuyến phố chính của "
            "trung tâm xã"
        ),
        "description": (
            "Việc khó do Phó Bí thư Đảng ủy xã đăng ký: lập lại trật tự trên ba "
            "tuyến phố, duy trì kiểm tra sau xử lý."
        ),
        "expected": "Ba tuyến phố thông thoáng, không tái lấn chiếm sau 30 ngày.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.DA",
        "assignee": "ngavt",
        "leader": "ngavt",
        "by": "lanhdao.dongan",
        "start": -30,
        "deadline": 30,
        "hard": True,
        "steps": (("progress", 35, "Đã ra quân trên tuyến thứ nhất."),),
    },
    {
        "title": (
            "Báo cáo kết quả tự kiểm tra việc thực hiện quy chế “5 rõ” tại UBND xã"
        ),
        "description": (
            "Tự kiểm tra việc giao việc theo “5 rõ” ở các bộ phận của UBND xã; "
            "nêu rõ việc còn thiếu người chịu trách nhiệm."
        ),
        "expected": "Báo cáo tự kiểm tra gửi Văn phòng Đảng ủy xã.",
        "doc": "KH-DA25",
        "item": "1",
        "lead": "HN.DA",
        "assignee": "dunghv",
        "leader": "ngavt",
        "by": "ngavt",
        "start": -20,
        "deadline": -3,
        "steps": (
            ("progress", 80, "Đã kiểm tra 6/6 bộ phận."),
            ("submit", -1, "Báo cáo tự kiểm tra đã hoàn thành."),
        ),
    },
    {
        "title": "Rà soát hồ sơ đất đai tồn đọng, phân loại theo thẩm quyền giải quyết",
        "description": (
            "Lập danh sách hồ sơ đất đai tồn đọng, phân loại hồ sơ thuộc thẩm quyền "
            "xã và hồ sơ phải chuyển cấp thành phố."
        ),
        "expected": "Danh sách hồ sơ kèm đề xuất hướng giải quyết từng hồ sơ.",
        "doc": "KH-DA25",
        "item": "3",
        "lead": "HN.DA",
        "assignee": "thanhlt",
        "leader": "loidv",
        "by": "loidv",
        "start": -20,
        "deadline": 6,
        "steps": (
            ("progress", 70, "Đã rà soát 63/80 hồ sơ."),
            ("submit", -1, "Đã rà soát đủ 80 hồ sơ, phân loại và đề xuất."),
        ),
    },
    {
        "title": "Tổ chức hội nghị sơ kết riêng về Chỉ thị 24-CT/TU tại khu vực Uy Nỗ",
        "description": "Chuẩn bị báo cáo, tổ chức hội nghị sơ kết ở các thôn.",
        "expected": "Hội nghị được tổ chức, có báo cáo sơ kết.",
        "doc": "KH-DA25",
        "item": "4",
        "lead": "HN.DA",
        "assignee": "thanhlt",
        "leader": "loidv",
        "by": "lanhdao.dongan",
        "start": -10,
        "deadline": 10,
        "steps": (
            ("cancel", "Nội dung đã lồng ghép vào hội nghị sơ kết chung của xã."),
        ),
    },
    {
        "title": "Số hóa sổ theo dõi văn bản đến, văn bản đi của cơ quan Đảng ủy xã",
        "description": (
            "Chuyển sổ theo dõi văn bản giấy sang phần mềm, gắn hạn xử lý cho từng "
            "văn bản có yêu cầu trả lời."
        ),
        "expected": "Phần mềm theo dõi văn bản được dùng chính thức.",
        "doc": "KH-DA25",
        "item": "3",
        "lead": "HN.DA.VP",
        "assignee": "hatt",
        "leader": "thuypt",
        "by": "thuypt",
        "start": -25,
        "deadline": 1,
        "steps": (
            ("progress", 50, "Đã nhập xong văn bản đến của năm nay."),
            ("extend", 15, "Chờ kết nối với hệ thống quản lý văn bản của thành phố."),
            ("extend_ok", "Đồng ý gia hạn; không gia hạn thêm."),
        ),
    },
    {
        "title": (
            "Rà soát, đề xuất điều chuyển công chức không đáp ứng yêu cầu nhiệm vụ"
        ),
        "description": (
            "Rà soát kết quả chấm điểm sáu tháng; đề xuất điều chuyển hoặc bố trí "
            "lại công chức nhiều tháng liền xếp loại thấp."
        ),
        "expected": "Danh sách đề xuất trình Ban Thường vụ Đảng ủy xã.",
        "doc": "CT24",
        "item": "8",
        "lead": "HN.DA.UBND.VHXH",
        "assignee": "maint",
        "leader": "toanhv",
        "by": "sonvm",
        "start": -15,
        "deadline": 12,
        "steps": (),
    },
    {
        "title": (
            "Đưa kết quả thực hiện Chỉ thị 24-CT/TU vào tiêu chí đánh giá, phân loại "
            "cuối năm"
        ),
        "description": (
            "Bổ sung tiêu chí về giải quyết công việc đúng hạn vào hướng dẫn đánh "
            "giá, phân loại tổ chức đảng, đảng viên năm nay."
        ),
        "expected": "Hướng dẫn đánh giá, phân loại có tiêu chí mới.",
        "doc": "CT24",
        "item": "8",
        "lead": "HN.DA.BTC",
        "assignee": "anhdn",
        "leader": "binhlv",
        "by": "lanhdao.dongan",
        "start": -10,
        "deadline": 2,
        "steps": (("progress", 60, "Dự thảo đã xin ý kiến Ủy ban Kiểm tra."),),
    },
    {
        "title": (
            "Công khai kết quả giải quyết thủ tục hành chính đúng hạn, trễ hạn của "
            "các thôn, tổ dân phố"
        ),
        "description": (
            "Đăng bảng xếp hạng hằng tháng các bộ phận theo tỷ lệ hồ sơ giải "
            "quyết đúng hạn trên cổng thông tin của xã."
        ),
        "expected": "Bảng xếp hạng tháng được đăng công khai.",
        "doc": "CT24",
        "item": "9",
        "lead": "HN.DA.UBND",
        "assignee": "lanbt",
        "leader": "sonvm",
        "by": "sonvm",
        "start": -20,
        "deadline": -8,
        "steps": (
            ("submit", -5, "Đã đăng bảng xếp hạng 12 bộ phận."),
            ("approve", "Lần sau đăng đúng hạn."),
        ),
    },
    # --- Sơn Tây -------------------------------------------------------------
    {
        "title": "Hướng dẫn cấp ủy viên, người đứng đầu đăng ký cam kết nêu gương",
        "description": (
            "Soạn mẫu bản cam kết và hướng dẫn đăng ký; tổng hợp bản cam kết của cấp "
            "ủy viên phường."
        ),
        "expected": "Hướng dẫn và bảng tổng hợp cam kết.",
        "doc": "KH-ST25",
        "item": "1",
        "lead": "HN.ST.BTC",
        "assignee": "minhdt",
        "leader": "lamqv",
        "by": "lanhdao.sontay",
        "start": -30,
        "deadline": -12,
        "steps": (
            ("progress", 50, "Đã ban hành hướng dẫn."),
            ("submit", -13, "Đã nhận đủ cam kết của cấp ủy viên."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Rà soát việc chấp hành sự phân công, điều động cán bộ của các cơ quan, "
            "đơn vị"
        ),
        "description": (
            "Thống kê các trường hợp chậm nhận nhiệm vụ hoặc từ chối điều động; làm "
            "rõ lý do, đề xuất xử lý."
        ),
        "expected": "Báo cáo rà soát và đề xuất xử lý.",
        "doc": "KH-ST25",
        "item": "2",
        "lead": "HN.ST.BTC",
        "assignee": "minhdt",
        "leader": "lamqv",
        "by": "lanhdao.sontay",
        "start": -20,
        "deadline": 10,
        "steps": (("progress", 40, "Đã rà soát 9/15 đơn vị."),),
    },
    {
        "title": (
            "Tổng hợp tình hình thực hiện Chỉ thị 24-CT/TU tháng {m0}, báo cáo Thường "
            "trực Đảng ủy phường"
        ),
        "description": (
            "Tổng hợp báo cáo của các cơ quan, phường, xã; nêu việc quá hạn và đơn "
            "vị chậm báo cáo."
        ),
        "expected": "Báo cáo tháng trình Thường trực Đảng ủy phường.",
        "doc": "KH-ST25",
        "item": "2",
        "lead": "HN.ST.VP",
        "assignee": "canbo.sontay",
        "leader": "dongkv",
        "by": "dongkv",
        "start": -10,
        "deadline": 2,
        "steps": (("progress", 50, "Đã nhận báo cáo của 10/15 đơn vị."),),
    },
    {
        "title": "Đôn đốc các phường, xã báo cáo kết quả giải quyết công việc đúng hạn",
        "description": (
            "Theo dõi, nhắc các phường, xã gửi số liệu giải quyết công việc; lập danh "
            "sách đơn vị chậm gửi."
        ),
        "expected": "Số liệu đủ của 15 phường, xã.",
        "doc": "KH-ST25",
        "item": "3",
        "lead": "HN.ST.VP",
        "assignee": "canbo.sontay",
        "leader": "lanhdao.sontay",
        "by": "lanhdao.sontay",
        "start": -25,
        "deadline": -4,
        "steps": (("progress", 60, "Còn 4 đơn vị chưa gửi số liệu."),),
    },
    {
        "title": (
            "Kiểm tra biểu hiện né tránh, đùn đẩy trong giải quyết đơn thư tại một số "
            "đơn vị"
        ),
        "description": (
            "Chọn đơn vị có nhiều đơn thư chuyển qua lại giữa các bộ phận; kiểm tra "
            "quá trình xử lý và trách nhiệm người đứng đầu."
        ),
        "expected": "Thông báo kết luận kiểm tra.",
        "doc": "KH-ST25",
        "item": "2",
        "lead": "HN.ST.UBKT",
        "assignee": "hoalv",
        "leader": "duyenbt",
        "by": "lanhdao.sontay",
        "start": -30,
        "deadline": 15,
        "steps": (("progress", 30, "Đã làm việc với hai đơn vị."),),
    },
    {
        "title": "Rà soát hồ sơ thủ tục hành chính trễ hạn, gửi thư xin lỗi người dân",
        "description": (
            "Đối chiếu sổ theo dõi hồ sơ; với mỗi hồ sơ trễ hạn gửi thư xin lỗi, hẹn "
            "lại thời gian trả kết quả."
        ),
        "expected": "Danh sách hồ sơ trễ hạn và bản sao thư xin lỗi.",
        "doc": "KH-ST25",
        "item": "3",
        "lead": "HN.ST",
        "assignee": "vanpt",
        "leader": "thond",
        "by": "thond",
        "start": -25,
        "deadline": -15,
        "steps": (
            ("submit", -10, "Đã gửi 6 thư xin lỗi."),
            ("approve", "Chậm so với hạn; rút kinh nghiệm."),
        ),
    },
    {
        "title": (
            "Chấn chỉnh thái độ, quy tắc ứng xử của công chức bộ phận một cửa phường"
        ),
        "description": (
            "Tổ chức buổi rút kinh nghiệm từ phản ánh của người dân; phân công lãnh "
            "đạo phường trực tại bộ phận một cửa."
        ),
        "expected": "Biên bản rút kinh nghiệm và lịch trực của lãnh đạo phường.",
        "doc": "KH-ST25",
        "item": "3",
        "lead": "HN.TTH",
        "assignee": "thudt",
        "leader": "haitv",
        "by": "haitv",
        "start": -15,
        "deadline": -2,
        "steps": (("progress", 50, "Đã họp rút kinh nghiệm."),),
    },
    {
        "title": (
            "Xử lý dứt điểm các trường hợp xây dựng sai phép trong khu di tích làng "
            "cổ Đường Lâm"
        ),
        "description": (
            "Việc khó do Phó Chủ tịch UBND phường đăng ký: rà soát từng trường hợp, "
            "vận động tự khắc phục, xử lý theo quy định với trường hợp cố tình vi "
            "phạm."
        ),
        "expected": "Các trường hợp vi phạm được xử lý, không phát sinh mới.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.ST",
        "assignee": "phuckv",
        "leader": "lanhdao.sontay",
        "by": "lanhdao.sontay",
        "start": -45,
        "deadline": 40,
        "hard": True,
        "hot": True,
        "steps": (("progress", 25, "Đã xử lý 3/12 trường hợp."),),
    },
    {
        "title": "Rà soát, bổ sung quy chế làm việc của UBND phường theo “5 rõ”",
        "description": (
            "Sửa quy chế làm việc của UBND phường để mỗi việc giao đều có người, hạn, "
            "sản phẩm và lãnh đạo phụ trách."
        ),
        "expected": "Quy chế làm việc sửa đổi được ban hành.",
        "doc": "CT24",
        "item": "1",
        "lead": "HN.ST.UBND",
        "assignee": "hienlt",
        "leader": "trudc",
        "by": "trudc",
        "start": -35,
        "deadline": -20,
        "steps": (
            ("progress", 70, "Đã lấy ý kiến các phòng chuyên môn."),
            ("submit", -20, "Quy chế sửa đổi đã ban hành."),
            ("approve", ""),
        ),
    },
    {
        "title": "Báo cáo kết quả cải cách hành chính quý của phường",
        "description": (
            "Tổng hợp số hồ sơ tiếp nhận, giải quyết đúng hạn, trễ hạn; kết quả khảo "
            "sát sự hài lòng của người dân."
        ),
        "expected": "Báo cáo quý gửi Đảng ủy phường.",
        "doc": "KH-ST25",
        "item": "3",
        "lead": "HN.ST.UBND",
        "assignee": "hienlt",
        "leader": "trudc",
        "by": "trudc",
        "start": -20,
        "deadline": 4,
        "steps": (
            ("progress", 60, "Đã có số liệu của 15/15 phường, xã."),
            ("submit", -1, "Báo cáo quý đã hoàn thành."),
        ),
    },
    # The two Party cells a new user merges in the admin: one open task each.
    {
        "title": (
            "Tổ chức sinh hoạt chuyên đề về Chỉ thị 24-CT/TU tại Chi bộ Tổ dân phố số 1"
        ),
        "description": (
            "Chuẩn bị nội dung, mời đảng viên dự sinh hoạt chuyên đề; ghi ý kiến "
            "của đảng viên về việc giải quyết công việc của người dân."
        ),
        "expected": "Biên bản sinh hoạt chuyên đề gửi Đảng ủy phường.",
        "doc": "KH-ST25",
        "item": "1",
        "lead": "HN.ST.CB1",
        "assignee": "xuanpt",
        "leader": "hiepdv",
        "by": "lanhdao.sontay",
        "start": -8,
        "deadline": 12,
        "steps": (("progress", 30, "Đã gửi giấy mời tới 23 đảng viên."),),
    },
    {
        "title": (
            "Lấy ý kiến người dân tổ dân phố về thái độ phục vụ của bộ phận một cửa "
            "phường"
        ),
        "description": (
            "Phát phiếu hỏi ý kiến các hộ trong tổ dân phố; tổng hợp ý kiến khen, "
            "chê và kiến nghị."
        ),
        "expected": "Bảng tổng hợp ý kiến gửi Văn phòng Đảng ủy phường.",
        "doc": "KH-ST25",
        "item": "3",
        "lead": "HN.ST.CB2",
        "assignee": "thaivv",
        "leader": "hanglt",
        "by": "lanhdao.sontay",
        "start": -5,
        "deadline": 20,
    },
    # --- Tây Hồ --------------------------------------------------------------
    {
        "title": (
            "Kiểm tra đột xuất việc giải quyết thủ tục hành chính tại bộ phận một cửa "
            "các phường, đợt 1"
        ),
        "description": (
            "Kiểm tra không báo trước tại bộ phận một cửa: hồ sơ quá hạn, thái độ "
            "tiếp dân, niêm yết thủ tục."
        ),
        "expected": "Biên bản kiểm tra từng phường và thông báo kết quả.",
        "doc": "CT24",
        "item": "3",
        "lead": "HN.TH.UBND.VHXH",
        "assignee": "huongnt",
        "leader": "quandv",
        "by": "khoitd",
        "coord": ("HN.TH",),
        "start": -50,
        "deadline": -30,
        "steps": (
            ("progress", 50, "Đã kiểm tra 4/8 phường."),
            ("submit", -31, "Đã kiểm tra 8/8 phường, có thông báo kết quả."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Kiểm tra đột xuất việc giải quyết thủ tục hành chính tại bộ phận một cửa "
            "các phường, đợt 2"
        ),
        "description": (
            "Kiểm tra lại các phường có tồn tại ở đợt 1 và các lĩnh vực nhiều hồ sơ "
            "trễ hạn."
        ),
        "expected": "Biên bản kiểm tra và thông báo kết quả đợt 2.",
        "doc": "CT24",
        "item": "3",
        "lead": "HN.TH.UBND.VHXH",
        "assignee": "ducbm",
        "leader": "quandv",
        "by": "khoitd",
        "coord": ("HN.PTU",),
        "start": -15,
        "deadline": 8,
        "steps": (("progress", 40, "Đã kiểm tra 3 phường."),),
    },
    {
        "title": (
            "Kiểm tra đột xuất việc chấp hành giờ làm việc, nội quy tại các cơ quan "
            "của phường"
        ),
        "description": (
            "Kiểm tra đầu giờ, cuối giờ không báo trước; đối chiếu chấm công và ghi "
            "nhận việc đeo thẻ công chức."
        ),
        "expected": "Thông báo kết quả kiểm tra, danh sách trường hợp vi phạm.",
        "doc": "CT24",
        "item": "3",
        "lead": "HN.TH.UBND.VHXH",
        "assignee": "huongnt",
        "leader": "quandv",
        "by": "khoitd",
        "start": -25,
        "deadline": -5,
        "steps": (("progress", 75, "Đã kiểm tra 9/12 cơ quan."),),
    },
    {
        "title": "Rà soát, bổ sung Quy chế làm việc của UBND phường theo “5 rõ”",
        "description": (
            "Rà soát quy chế làm việc, phân công nhiệm vụ của lãnh đạo và các phòng "
            "theo rõ người, rõ việc, rõ tiến độ, rõ kết quả, rõ trách nhiệm."
        ),
        "expected": "Quy chế làm việc sửa đổi của UBND phường.",
        "doc": "CT24",
        "item": "1",
        "lead": "HN.TH.UBND",
        "assignee": "hoapt",
        "leader": "khoitd",
        "by": "khoitd",
        "start": -60,
        "deadline": -40,
        "steps": (
            ("progress", 60, "Dự thảo đã gửi các phòng góp ý."),
            ("submit", -43, "Quy chế sửa đổi đã ban hành."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Triển khai chuyên đề học tập và làm theo Bác về trách nhiệm nêu gương"
        ),
        "description": (
            "Biên soạn tài liệu chuyên đề, tổ chức học tập ở các chi bộ; gắn với "
            "khuyến khích cán bộ dám nghĩ, dám làm, dám nhận việc khó."
        ),
        "expected": "Tài liệu chuyên đề và báo cáo kết quả học tập.",
        "doc": "CT24",
        "item": "9",
        "lead": "HN.TH.VP",
        "assignee": "trangntt",
        "leader": "sonlh",
        "by": "phuocnh",
        "start": -50,
        "deadline": -25,
        "steps": (
            ("progress", 70, "Đã học tập ở 30/41 chi bộ."),
            ("submit", -21, "Đã học tập ở 41/41 chi bộ."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Tổng hợp danh mục việc khó đăng ký của Thường trực, Ban Thường vụ Quận "
            "ủy và cán bộ cơ sở"
        ),
        "description": (
            "Mỗi đồng chí Thường trực Đảng ủy phường đăng ký 3 việc khó, mỗi Ủy viên "
            "Ban Thường vụ 2 việc, cán bộ cơ sở ít nhất 1 việc; tổng hợp và theo dõi."
        ),
        "expected": "Danh mục việc khó có người đăng ký, hạn và sản phẩm.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.TH.VP",
        "assignee": "trangntt",
        "leader": "phuocnh",
        "by": "phuocnh",
        "start": -30,
        "deadline": -12,
        "steps": (
            ("submit", -14, "Danh mục đã tổng hợp đủ theo định mức."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Xử lý dứt điểm vi phạm lấn chiếm, xây dựng trái phép ven hồ Tây khu vực "
            "Quảng An"
        ),
        "description": (
            "Việc khó do Phó Bí thư Đảng ủy phường đăng ký: lập hồ sơ từng vi phạm, "
            "vận động tháo dỡ, cưỡng chế khi cần."
        ),
        "expected": "Các vi phạm được xử lý, hành lang ven hồ được trả lại.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.TH",
        "assignee": "huongdtt",
        "leader": "huongdtt",
        "by": "phuocnh",
        "start": -40,
        "deadline": 20,
        "hard": True,
        "steps": (("progress", 50, "Đã xử lý 4/8 vi phạm."),),
    },
    {
        "title": (
            "Giải quyết dứt điểm kiến nghị kéo dài về trật tự đô thị tại khu vực "
            "Nhật Tân"
        ),
        "description": (
            "Việc khó do Phó Chủ tịch UBND phường đăng ký: đối thoại với người dân, "
            "phối hợp đội quản lý trật tự đô thị xử lý."
        ),
        "expected": "Kiến nghị được trả lời bằng văn bản, hiện trường được xử lý.",
        "doc": "CT24",
        "item": "6",
        "lead": "HN.TH",
        "assignee": "thanhnv",
        "leader": "thanhnv",
        "by": "phuocnh",
        "start": -30,
        "deadline": 2,
        "hard": True,
        "steps": (("progress", 80, "Đã đối thoại, đang hoàn thiện văn bản trả lời."),),
    },
    {
        "title": (
            "Lấy kết quả thực hiện Chỉ thị 24-CT/TU làm tiêu chí kiểm điểm, phân loại "
            "người đứng đầu"
        ),
        "description": (
            "Bổ sung tiêu chí vào hướng dẫn kiểm điểm, đánh giá, phân loại tổ chức "
            "đảng, đảng viên năm nay, nhất là người đứng đầu."
        ),
        "expected": "Hướng dẫn kiểm điểm của Đảng ủy phường, có tiêu chí mới.",
        "doc": "CT24",
        "item": "8",
        "lead": "HN.TH.BTC",
        "assignee": "tungvt",
        "leader": "chauhm",
        "by": "phuocnh",
        "start": -20,
        "deadline": 25,
        "steps": (("progress", 20, "Đã xây dựng đề cương."),),
    },
    {
        "title": (
            "Tiếp nhận, xử lý phản ánh về nhũng nhiễu, gây phiền hà qua đường dây "
            "nóng của phường"
        ),
        "description": (
            "Lập sổ theo dõi phản ánh qua đường dây nóng; xác minh, trả lời người "
            "phản ánh và báo cáo Đảng ủy phường."
        ),
        "expected": "Sổ theo dõi và báo cáo xử lý từng phản ánh.",
        "doc": "CT24",
        "item": "3",
        "lead": "HN.PTU",
        "assignee": "quynhht",
        "leader": "longpv",
        "by": "longpv",
        "start": -20,
        "deadline": -1,
        "steps": (),
    },
    # --- Thạch Thất ----------------------------------------------------------
    {
        "title": "Đoàn giám sát số 1: giám sát 10 tổ chức đảng và 10 người đứng đầu",
        "description": (
            "Giám sát việc lãnh đạo, chỉ đạo thực hiện Chỉ thị 24-CT/TU tại 10 tổ "
            "chức đảng và trách nhiệm của 10 người đứng đầu."
        ),
        "expected": "Báo cáo kết quả giám sát và thông báo đến từng tổ chức đảng.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT.UBKT",
        "assignee": "luadt",
        "leader": "sangtv",
        "by": "chiendv",
        "coord": ("HN.TT.BTC",),
        "start": -60,
        "deadline": -10,
        "steps": (
            ("progress", 50, "Đã giám sát 5/10 tổ chức đảng."),
            ("submit", -12, "Đã giám sát đủ 10 tổ chức đảng, 10 người đứng đầu."),
            ("approve", ""),
        ),
    },
    {
        "title": "Đoàn giám sát số 2: giám sát 10 tổ chức đảng và 10 người đứng đầu",
        "description": (
            "Giám sát việc lãnh đạo, chỉ đạo thực hiện Chỉ thị 24-CT/TU tại 10 tổ "
            "chức đảng và trách nhiệm của 10 người đứng đầu."
        ),
        "expected": "Báo cáo kết quả giám sát và thông báo đến từng tổ chức đảng.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT.UBKT",
        "assignee": "hungkd",
        "leader": "sangtv",
        "by": "chiendv",
        "coord": ("HN.TT.VP",),
        "start": -60,
        "deadline": -10,
        "steps": (
            ("progress", 60, "Đã giám sát 6/10 tổ chức đảng."),
            ("submit", -4, "Đã giám sát đủ 10 tổ chức đảng, 10 người đứng đầu."),
            ("approve", "Chậm hạn; đoàn cần bố trí lịch sát hơn."),
        ),
    },
    {
        "title": "Đoàn giám sát số 3: giám sát 9 tổ chức đảng và 9 người đứng đầu",
        "description": (
            "Giám sát việc lãnh đạo, chỉ đạo thực hiện Chỉ thị 24-CT/TU tại 9 tổ "
            "chức đảng và trách nhiệm của 9 người đứng đầu."
        ),
        "expected": "Báo cáo kết quả giám sát và thông báo đến từng tổ chức đảng.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT.BTC",
        "assignee": "tiencv",
        "leader": "hoant",
        "by": "chiendv",
        "coord": ("HN.TT.UBKT",),
        "start": -60,
        "deadline": 3,
        "steps": (("progress", 85, "Đã giám sát 8/9 tổ chức đảng."),),
    },
    {
        "title": "Giám sát đột xuất tổ chức đảng có dấu hiệu buông lỏng kỷ cương",
        "description": (
            "Giám sát không báo trước các tổ chức đảng có nhiều việc quá hạn hoặc "
            "đơn thư phản ánh; kịp thời chấn chỉnh."
        ),
        "expected": "Thông báo kết quả giám sát đột xuất.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT.UBKT",
        "assignee": "hungkd",
        "leader": "sangtv",
        "by": "chiendv",
        "start": -10,
        "deadline": 20,
        "hard": True,
        "steps": (),
    },
    {
        "title": "Tổng hợp kết quả giám sát, báo cáo Ban Thường vụ Đảng ủy xã",
        "description": (
            "Tổng hợp báo cáo của ba đoàn giám sát, nêu hạn chế chung và đề xuất "
            "việc khắc phục."
        ),
        "expected": "Báo cáo tổng hợp trình Ban Thường vụ Đảng ủy xã.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT.VP",
        "assignee": "huynq",
        "leader": "hangkt",
        "by": "chiendv",
        "start": -5,
        "deadline": 12,
        "steps": (("start",),),
    },
    {
        "title": (
            "Khắc phục hạn chế sau giám sát: hoàn thiện quy chế làm việc của các chi "
            "bộ khu vực Bình Yên"
        ),
        "description": (
            "Sửa quy chế làm việc theo kết luận của đoàn giám sát; phân công lại "
            "nhiệm vụ của từng chi ủy viên."
        ),
        "expected": "Quy chế làm việc sửa đổi được Đảng ủy xã thông qua.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT",
        "assignee": "haont",
        "leader": "tuankv",
        "by": "tuankv",
        "start": -15,
        "deadline": 5,
        "steps": (("progress", 60, "Dự thảo đã xin ý kiến đảng ủy viên."),),
    },
    {
        "title": (
            "Khắc phục hạn chế sau giám sát: chấn chỉnh lưu trữ hồ sơ, biên bản sinh "
            "hoạt chi bộ"
        ),
        "description": (
            "Rà soát sổ sách, biên bản sinh hoạt của các chi bộ trực thuộc; bổ sung "
            "phần còn thiếu theo hướng dẫn."
        ),
        "expected": "Báo cáo khắc phục gửi đoàn giám sát.",
        "doc": "CT24",
        "item": "4",
        "lead": "HN.TT",
        "assignee": "huedt",
        "leader": "sonpv",
        "by": "sonpv",
        "start": -20,
        "deadline": -3,
        "steps": (
            ("submit", -3, "Đã chấn chỉnh tại 14/14 chi bộ."),
            ("approve", ""),
        ),
    },
    {
        "title": (
            "Rà soát hồ sơ thủ tục hành chính tồn đọng tại bộ phận một cửa xã Hạ Bằng"
        ),
        "description": (
            "Lập danh sách hồ sơ quá hạn, xác định bộ phận và cá nhân đang giữ hồ "
            "sơ, hẹn ngày trả kết quả."
        ),
        "expected": "Danh sách hồ sơ và kế hoạch giải quyết dứt điểm.",
        "doc": "CT24",
        "item": "7",
        "lead": "HN.HB",
        "assignee": "hanhlt",
        "leader": "longcd",
        "by": "longcd",
        "start": -15,
        "deadline": 2,
        "steps": (("progress", 40, "Đã rà soát lĩnh vực đất đai và hộ tịch."),),
    },
    {
        "title": (
            "Tự kiểm tra việc thực hiện quy chế làm việc theo “5 rõ” tại các chi bộ "
            "trực thuộc"
        ),
        "description": (
            "Đảng ủy cơ quan tự kiểm tra cách các chi bộ giao việc và theo dõi việc "
            "của đảng viên."
        ),
        "expected": "Báo cáo tự kiểm tra của Đảng ủy cơ quan.",
        "doc": "CT24",
        "item": "1",
        "lead": "HN.HB",
        "assignee": "lienht",
        "leader": "thinhvv",
        "by": "thinhvv",
        "start": -20,
        "deadline": 10,
        "steps": (("progress", 50, "Đã kiểm tra 6/12 chi bộ."),),
    },
    {
        "title": (
            "Chỉ đạo các bộ phận giải quyết đúng hạn 100% hồ sơ thủ tục hành chính"
        ),
        "description": (
            "Ban hành văn bản chỉ đạo, giao chỉ tiêu và theo dõi tỷ lệ hồ sơ đúng "
            "hạn của từng bộ phận mỗi tuần."
        ),
        "expected": "Văn bản chỉ đạo và bảng theo dõi tỷ lệ đúng hạn hằng tuần.",
        "doc": "CT24",
        "item": "7",
        "lead": "HN.TT.UBND",
        "assignee": "phuonglt",
        "leader": "hieupv",
        "by": "hieupv",
        "start": -40,
        "deadline": -18,
        "steps": (
            ("progress", 50, "Đã ban hành văn bản chỉ đạo."),
            ("submit", -19, "Bảng theo dõi hằng tuần đã vận hành."),
            ("approve", ""),
        ),
    },
)
