"""What the bot and the console chat say, in Vietnamese (NFC), in one place.

Plain text unless the name ends in `_HTML` (Telegram HTML: escape every value
put into those). Values in braces are filled with `str.format`.
"""

from __future__ import annotations

# -- welcome and help ------------------------------------------------------------------
WELCOME = (
    "Xin chào! Tôi trả lời câu hỏi về các văn kiện của Đảng (nghị quyết, chỉ thị, "
    "kết luận, quy định…) dựa trên các tin bài đã được nạp, kèm trích dẫn và đường "
    "dẫn tới bài gốc.\n\nBạn có thể hỏi, ví dụ:\n"
)
EXAMPLES = (
    "Kết luận 21 nói về gì?",
    "Nghị quyết 57-NQ/TW ban hành ngày nào?",
    "Chỉ thị 35 do cơ quan nào ban hành?",
    "Văn bản nào thực hiện Kết luận 21?",
)
WELCOME_MORE = "\n\nGõ /help để xem thêm."
HELP_HTML = (
    "<b>Cách dùng</b>\n"
    "• Trong chat riêng: gõ câu hỏi, ví dụ “Kết luận 21 nói về gì?”.\n"
    "• /hoi &lt;câu hỏi&gt; — hỏi (cũng dùng được trong nhóm; /ask tương tự).\n"
    "• /vanban &lt;số hiệu&gt; — xem thông tin một văn bản, ví dụ /vanban 21-KL/TW.\n"
    "• /moi — các tin bài mới nhất; /nguon — các nguồn đang dùng.\n"
    "• Trong nhóm: nhắc tên tôi (@{username} …) hoặc trả lời tin nhắn của tôi.\n"
    "• Ở bất kỳ cuộc trò chuyện nào: gõ @{username} và số hiệu văn bản để chèn nhanh.\n\n"
    "<i>Câu trả lời dựa trên tin bài báo chí, không thay thế văn bản chính thức.</i>"
)
INLINE_HELP_BUTTON = "Cách dùng bot"
CHAT_BANNER = "vankien — hỏi đáp về văn bản của Đảng (trích từ tin bài đã thu thập)."
CHAT_HELP = (
    "Gõ câu hỏi rồi nhấn Enter, ví dụ: “Kết luận 21 nói về gì?”, “QĐ 41 ban hành ngày nào?”.\n"
    "Gõ /them để xem thêm trích dẫn, /thoat (hoặc Ctrl-D) để thoát."
)
CHAT_PROMPT = "\nBạn hỏi: "

# -- command menus (Telegram shows them beside the message box) ------------------------
USER_COMMANDS = (
    ("hoi", "Hỏi về một văn kiện, ví dụ: /hoi Kết luận 21 nói về gì?"),
    ("vanban", "Xem thông tin một văn bản theo số hiệu"),
    ("moi", "Các tin bài mới nhất"),
    ("nguon", "Các nguồn tin bài đang dùng"),
    ("help", "Hướng dẫn sử dụng"),
)
ADMIN_COMMANDS = (
    ("addsource", "Thêm nguồn (URL hoặc đường dẫn)"),
    ("sources", "Danh sách nguồn kèm id"),
    ("removesource", "Gỡ một nguồn theo id"),
    ("reindex", "Đọc lại mọi nguồn và lập lại chỉ mục"),
    ("stats", "Thống kê dữ liệu"),
)

# -- asking ----------------------------------------------------------------------------
USAGE_ASK_HTML = "Bạn hãy gõ câu hỏi sau lệnh, ví dụ: <code>/hoi Kết luận 21 nói về gì?</code>"
USAGE_VANBAN_HTML = "Bạn hãy gõ số hiệu văn bản sau lệnh, ví dụ: <code>/vanban 21-KL/TW</code>"
EMPTY_MENTION = "Bạn muốn hỏi gì về văn kiện? Ví dụ: “Kết luận 21 nói về gì?”"
TOO_LONG = "Câu hỏi dài quá ({n} ký tự). Bạn hãy hỏi ngắn gọn, tối đa {max} ký tự nhé."
RATE_LIMITED = "Bạn hỏi hơi nhanh. Mời bạn đợi khoảng {s} giây rồi hỏi tiếp nhé."
STALE_BUTTON = "Nút này đã cũ hoặc không còn dùng được. Bạn hãy hỏi lại nhé."
NO_MORE_QUOTES = "Không còn trích dẫn nào khác."
ERROR = "Đã có lỗi khi xử lý yêu cầu của bạn. Bạn thử lại sau ít phút nhé."

# -- answers ---------------------------------------------------------------------------
QUOTES_HEADING = "Trích dẫn từ tin bài:"
AMBIGUOUS_HEADING = "Các văn bản trùng số:"
CLOSEST_HEADING = "Văn bản gần nhất trong dữ liệu:"
MORE_BUTTON = "Thêm trích dẫn"
MORE_LEFT = "Còn {n} trích dẫn khác."
MORE_LEFT_BUTTON = "Còn {n} trích dẫn khác — bấm “{button}” để xem tiếp."
RELATED = "Văn bản liên quan: {ids}"
RELATED_BUTTON = "Văn bản liên quan: {id}"
UNTITLED = "(không tên)"
QUOTE_TITLE = "Trích dẫn"

# -- articles and sources (/moi, /nguon) -------------------------------------------------
LATEST_HEADING = "Tin bài mới nhất:"
NO_ARTICLES = "Chưa có tin bài nào trong dữ liệu."
SOURCES_HEADING = "Các nguồn tin bài:"
NO_SOURCES = "Chưa có nguồn tin bài nào."
SOURCE_LINE = "{name} — {n} bài"

# -- admin -----------------------------------------------------------------------------
ADMIN_ONLY = "Xin lỗi, lệnh này chỉ dành cho quản trị viên của bot."
USAGE_ADD_HTML = (
    "Cách dùng: <code>/addsource &lt;URL hoặc đường dẫn&gt;</code> "
    "(có thể ghi nhiều, cách nhau bằng dấu cách)."
)
USAGE_REMOVE_HTML = "Cách dùng: <code>/removesource &lt;id&gt;</code> — xem id bằng /sources."
REINDEX_BUSY = "Việc lập lại chỉ mục đang chạy. Bạn đợi nó xong rồi hãy chạy lại nhé."
REINDEX_FAILED = (
    "❌ Lập lại chỉ mục không thành công; chỉ mục cũ vẫn được dùng. Xem nhật ký để biết chi tiết."
)
REINDEX_STARTING = "⏳ Bắt đầu đọc lại các nguồn…"
REINDEX_RUNNING = "⏳ Đang đọc lại các nguồn…"
REINDEX_DONE = "✅ Đã lập lại chỉ mục xong."
READING_SOURCES = "⏳ Đang đọc {n} nguồn…"
ADD_FAILED_REASON = "❌ Không thêm được nguồn: {reason}"
ADD_FAILED = (
    "❌ Thêm nguồn không thành công; chỉ mục cũ vẫn được dùng. Xem nhật ký để biết chi tiết."
)
REINDEX_FAILED_REASON = "❌ Lập lại chỉ mục không thành công: {reason}"
REPORT_HEADING = "Kết quả đọc nguồn"
NO_SOURCES_ADMIN_HTML = "Chưa có nguồn nào. Thêm bằng /addsource &lt;URL&gt;."
REGISTERED_SOURCES = "Các nguồn đã đăng ký"
SOURCE_REMOVED = "Đã gỡ nguồn #{id}."
SOURCE_MISSING = "Không có nguồn #{id}. Xem danh sách bằng /sources."
PROGRESS_SOURCES = "Nguồn: {done}/{total}"
PROGRESS_COUNTS = "Bài mới: {new} · cập nhật: {updated} · không đổi: {unchanged} · lỗi: {failed}"
PROGRESS_DONE = "Thời gian: {seconds:.1f} giây · thế hệ chỉ mục: {generation}"
SOURCE_ARTICLES = "{n} bài · đọc tốt gần nhất: {last_ok}"
SOURCE_ERROR = "lỗi: {error}"
NEVER = "chưa"
AND_MORE = "… và {n} mục khác"
AND_MORE_FAILURES = "… và {n} lỗi khác"

# `vankien ingest`, `vankien reindex`, `vankien sources`
INGEST_EMPTY_PATH = "đường dẫn trống (biến môi trường chưa đặt?); hãy ghi rõ tệp, thư mục hoặc địa chỉ web cần thêm."
INGEST_NOTHING_GIVEN = "Hãy chỉ ra tệp, thư mục hoặc địa chỉ web cần thêm (hoặc --samples)."
INGEST_NOT_EMPTY = "Cơ sở dữ liệu đã có bài viết; không nạp thêm."
INGEST_TOTAL = "Tổng cộng: {counts}."
INGEST_NOTHING = "không có gì"
REINDEXED = "Đã dựng lại chỉ mục (thế hệ {generation}) trong {seconds:.1f} giây."
REINDEX_FAILURE = "  lỗi: {target} — {reason}"
NO_SOURCES_CLI = "Chưa có nguồn nào. Thêm bằng: vankien ingest ĐƯỜNG_DẪN_HOẶC_URL"
SOURCE_LAST_READ = "đọc lần cuối {when}"
SOURCE_LINE_CLI = "[{id}] {location} ({kind}, {n} bài; {status})"

# `vankien stats` and /stats
STATS_HEADING = "Thống kê"
STATS_LINES = (
    "Bài viết: {articles}",
    "Đoạn văn: {passages}",
    "Văn bản được nhắc tới: {directives}",
    "Nguồn: {sources}",
    "Lập chỉ mục gần nhất: {last_reindex} (thế hệ {generation})",
    "Kích thước chỉ mục: {index_size} · cơ sở dữ liệu: {db_size}",
)
NOT_YET = "chưa có"

# What happened to each ingested item: the console and /addsource word it alike.
STATUS_LABELS = {
    "added": "đã thêm",
    "updated": "đã cập nhật",
    "unchanged": "không đổi",
    "duplicate": "trùng lặp",
    "refused": "từ chối",
    "failed": "lỗi",
}
