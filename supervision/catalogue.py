# ruff: noqa: E501  (one catalogue item per line reads best)
"""The default catalogue of breaches of discipline and public-service
ethics (biểu hiện vi phạm kỷ luật, kỷ cương), in our own words: the kinds of
conduct a directive's appendix typically lists. Seeded by migration 0002 and
installed again by ``supervision.services.install_defaults`` where missing;
admins edit, add or switch items off in the admin.

Plain data, no model import: the data migration reads it.
"""

DEFAULT_VIOLATIONS = (
    (
        "VP01",
        "Né tránh, đùn đẩy trách nhiệm; không dám quyết định việc thuộc thẩm quyền.",
    ),
    (
        "VP02",
        "Đẩy việc lên cấp trên hoặc sang đơn vị khác khi việc thuộc thẩm quyền của mình.",
    ),
    (
        "VP03",
        "Giải quyết hồ sơ, thủ tục hành chính chậm so với thời hạn mà không có lý do chính đáng.",
    ),
    (
        "VP04",
        "Hướng dẫn hồ sơ không đầy đủ, không một lần; yêu cầu bổ sung nhiều lần, vòng vo.",
    ),
    ("VP05", "Gây khó khăn, phiền hà, sách nhiễu người dân và doanh nghiệp."),
    ("VP06", "Vắng mặt trong giờ làm việc không có lý do; đi muộn, về sớm."),
    ("VP07", "Làm việc riêng, sử dụng thời gian làm việc không đúng mục đích."),
    ("VP08", "Thái độ thiếu tôn trọng, thiếu niềm nở khi tiếp xúc, phục vụ người dân."),
    ("VP09", "Không thực hiện hoặc thực hiện không đầy đủ nhiệm vụ được giao."),
    ("VP10", "Báo cáo không trung thực, không đầy đủ về kết quả thực hiện nhiệm vụ."),
    ("VP11", "Chậm cụ thể hóa, triển khai văn bản chỉ đạo của cấp trên."),
    ("VP12", "Không tiếp nhận hoặc chậm xử lý phản ánh, kiến nghị của người dân."),
    (
        "VP13",
        "Lợi dụng chức vụ, vị trí công tác để vụ lợi; nhận quà, lợi ích trái quy định.",
    ),
    ("VP14", "Người đứng đầu buông lỏng lãnh đạo, thiếu kiểm tra, đôn đốc cấp dưới."),
    ("VP15", "Thiếu phối hợp với đơn vị liên quan, làm chậm công việc chung."),
    (
        "VP16",
        "Không công khai, minh bạch quy trình, thủ tục, phí, lệ phí theo quy định.",
    ),
    ("VP17", "Vi phạm quy chế làm việc, nội quy của cơ quan, đơn vị."),
    (
        "VP18",
        "Sử dụng đồ uống có cồn trong giờ làm việc hoặc giờ nghỉ trưa của ngày làm việc.",
    ),
    ("VP19", "Không đeo thẻ hoặc trang phục không đúng quy định khi thi hành công vụ."),
    (
        "VP20",
        "Tham mưu, đề xuất chung chung, không rõ việc, rõ trách nhiệm, hiệu quả thấp.",
    ),
    (
        "VP21",
        "Chậm chấn chỉnh, xử lý cán bộ vi phạm sau khi đã được phát hiện, phản ánh.",
    ),
)
