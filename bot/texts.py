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
    "• /trichdan &lt;số hiệu&gt; — dòng trích dẫn chuẩn kèm nguồn, sẵn để sao chép "
    "(hoặc nút 📋 dưới câu trả lời).\n"
    "• “Tỉnh nào đã quán triệt Kết luận 21?” hoặc nút 🗺 — nơi và ngày văn bản được học tập, "
    "quán triệt, triển khai.\n"
    "• /kiemtra — câu hỏi trắc nghiệm; /kiemtra 5 — một lượt 5 câu, mỗi câu cách nhau 30 "
    "giây; /kiemtra &lt;số hiệu&gt; — hỏi về một văn bản.\n"
    "• /theodoi — nhận tin tóm tắt khi có văn bản, tin bài mới; /theodoi &lt;số hiệu&gt; — "
    "chỉ tin về văn bản đó; /botheodoi — bỏ theo dõi; /dangtheodoi — xem đang theo dõi gì "
    "(trong nhóm, chỉ quản trị viên nhóm thay đổi được).\n"
    "• 👍 / 👎 dưới câu trả lời — cho biết câu trả lời có dùng được không (đổi ý được).\n"
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
# What the console chat accepts as a command (lower-cased input, with and without accents).
CHAT_QUIT_COMMANDS = ("/thoat", "/thoát", "/quit", "/exit")
CHAT_HELP_COMMANDS = ("/help", "/giupdo", "/giúpđỡ")
CHAT_MORE_COMMANDS = ("/them", "/thêm")

# -- command menus (Telegram shows them beside the message box) ------------------------
USER_COMMANDS = (
    ("hoi", "Hỏi về một văn kiện, ví dụ: /hoi Kết luận 21 nói về gì?"),
    ("vanban", "Xem thông tin một văn bản theo số hiệu"),
    ("moi", "Các tin bài mới nhất"),
    ("nguon", "Các nguồn tin bài đang dùng"),
    ("trichdan", "Trích dẫn chuẩn của một văn bản kèm nguồn"),
    ("kiemtra", "Câu hỏi trắc nghiệm: /kiemtra, /kiemtra 5 hoặc /kiemtra số hiệu"),
    ("theodoi", "Nhận tin mới (mọi văn bản, hoặc một văn bản theo số hiệu)"),
    ("botheodoi", "Bỏ theo dõi"),
    ("dangtheodoi", "Xem các mục đang theo dõi"),
    ("help", "Hướng dẫn sử dụng"),
)
ADMIN_COMMANDS = (
    ("chuatraloi", "Câu hỏi tuần qua chưa trả lời được hoặc bị 👎"),
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
INLINE_DIRECTIVE_TITLE = "{type} số {id}"

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
REINDEXED = "Đã cập nhật chỉ mục (thế hệ {generation}) trong {seconds:.1f} giây."
REINDEXED_FULL = "Đã dựng lại toàn bộ chỉ mục (thế hệ {generation}) trong {seconds:.1f} giây."
REINDEX_UNCHANGED = "Không có gì thay đổi: chỉ mục giữ nguyên (thế hệ {generation})."
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

# -- study groups: citations, timelines, follow-ups, quizzes, feedback ----------------------
CITE_BUTTON = "📋 Trích dẫn"
TIMELINE_BUTTON = "🗺 Nơi đã quán triệt"
UP_BUTTON = "👍"
DOWN_BUTTON = "👎"
USAGE_ID_HTML = "Bạn hãy gõ số hiệu văn bản sau lệnh, ví dụ: <code>/{command} 21-KL/TW</code>"
NOT_AN_ID = (
    "“{text}” không phải số hiệu văn bản. Hãy ghi số hiệu, ví dụ 21-KL/TW, KL21 hoặc Kết luận 21."
)
UNKNOWN_ID = "Chưa có văn bản “{text}” trong các bài viết đã thu thập."
AMBIGUOUS_ID = "“{text}” ứng với nhiều văn bản; bạn hãy ghi rõ hơn (ví dụ kèm năm):\n{names}"

CITATION_SOURCES = "Nguồn:"
CITATION_NO_SOURCES = "(Chưa có bài viết nào trong dữ liệu nhắc tới văn bản này.)"
UNTITLED_ARTICLE = "(không có tiêu đề)"

TIMELINE_HEADING = "Nơi đã học tập, quán triệt, triển khai {name} (mới nhất trước):"
TIMELINE_EMPTY = (
    "Các bài viết đã thu thập chưa nêu nơi nào học tập, quán triệt hay triển khai {name}."
)

VOTE_THANKS = "Cảm ơn bạn đã góp ý!"
VOTE_CHANGED = "Đã ghi lại ý kiến mới của bạn."
VOTE_SAME = "Bạn đã góp ý như vậy rồi."
VOTE_GONE = "Câu hỏi này đã quá cũ để góp ý."
GAPS_NONE = "Trong {days} ngày qua không có câu hỏi nào chưa trả lời được hay bị chấm 👎."
GAPS_HEADING = (
    "Câu hỏi chưa trả lời được hoặc bị chấm 👎 trong {days} ngày qua: {total} câu, "
    "{topics} chủ đề (nhiều nhất trước)."
)
GAP_LINE = "{n}. {topic} — {count} câu ({why}), gần nhất {last}"
GAP_NOT_FOUND = "{n} không tìm thấy"
GAP_DOWNVOTED = "{n} bị 👎"
GAPS_BAD_DAYS = "--days phải là số ngày, từ 1 trở lên."

GROUP_ADMINS_ONLY = "Trong nhóm, chỉ quản trị viên của nhóm mới thay đổi được việc theo dõi."
FOLLOWING_ALL = (
    "Đã theo dõi mọi văn bản và tin bài mới. Sau mỗi lần cập nhật có tin mới, "
    "cuộc trò chuyện này nhận một tin tóm tắt."
)
FOLLOWING_ONE = (
    "Đã theo dõi tin bài mới về {name}. Sau mỗi lần cập nhật có bài mới, bạn nhận một tin tóm tắt."
)
ALREADY_FOLLOWING = "Cuộc trò chuyện này đã theo dõi mục đó rồi."
UNFOLLOWED = "Đã bỏ {n} mục theo dõi."
NOTHING_FOLLOWED = "Cuộc trò chuyện này không theo dõi mục đó."
FOLLOWING_NOTHING = (
    "Cuộc trò chuyện này chưa theo dõi gì. Gõ /theodoi để nhận tin mới, "
    "hoặc /theodoi SỐ_HIỆU để theo dõi một văn bản."
)
FOLLOWING_HEADING = "Đang theo dõi:"
FOLLOWING_EVERYTHING = "mọi văn bản và tin bài mới"
FOLLOWING_DOCUMENT = "tin bài mới về {label}"
FOLLOWING_HOW_TO_STOP = "Bỏ theo dõi: /botheodoi (tất cả) hoặc /botheodoi SỐ_HIỆU."
DIGEST_HEADING = "🔔 Có tin mới từ lần cập nhật vừa rồi"
DIGEST_DOCUMENTS = "Văn bản mới được nhắc tới:"
DIGEST_ARTICLES = "Tin bài mới:"
DIGEST_ABOUT = "Về {label}:"
DIGEST_MORE_DOCUMENTS = "… và {n} văn bản khác"
DIGEST_MORE_ARTICLES = "… và {n} bài khác"
DIGEST_FOOTER = "Xem các mục đang theo dõi: /dangtheodoi · bỏ theo dõi: /botheodoi"

USAGE_QUIZ_HTML = (
    "Cách dùng: <code>/kiemtra</code> (một câu), <code>/kiemtra 5</code> (một lượt 5 câu, "
    "tối đa {max}) hoặc <code>/kiemtra 21-KL/TW</code> (câu hỏi về một văn bản)."
)
QUIZ_BUSY = "Cuộc trò chuyện này đang có một lượt kiểm tra; bạn đợi lượt đó xong nhé."
NO_QUIZ = (
    "Dữ liệu chưa đủ để ra câu hỏi: cần các văn bản cùng loại, cùng thời kỳ, với thông tin "
    "được các bài viết xác nhận."
)
NO_QUIZ_ABOUT = "Chưa đủ thông tin được các bài viết xác nhận để ra câu hỏi về {name}."
ROUND_INTRO = "Lượt kiểm tra {n} câu, mỗi câu cách nhau {s} giây. Bắt đầu!"
ROUND_SHORT = "Dữ liệu chỉ đủ cho {n} câu khác nhau. Bắt đầu!"

# -- `vankien backup` and `vankien check` -----------------------------------------------
DB_SUMMARY = "{articles} bài viết, {passages} đoạn văn, thế hệ chỉ mục {generation}, {size}"
BACKUP_EXISTS = "Tệp {target} đã có; không ghi đè (thêm --force nếu muốn ghi đè)."
BACKUP_SAME_FILE = "Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng."
BACKUP_DONE = "Đã sao lưu {db} vào {target} ({summary})."
CHECK_PROBLEMS = "Cơ sở dữ liệu {path} có vấn đề:"
CHECK_OK = "Cơ sở dữ liệu ổn: {path} ({summary})."

# -- `vankien --help`: argparse descriptions and help lines --------------------------------
CLI_DESCRIPTION = "Hỏi đáp về văn bản của Đảng từ các bài báo đưa tin (bot Telegram và dòng lệnh)."
CLI_DB_HELP = "tệp SQLite (mặc định: VANKIEN_DB hoặc data/vankien.db)"
CLI_COMMAND_METAVAR = "LỆNH"
CLI_ASK_HELP = "trả lời một câu hỏi (hoặc từng dòng đọc từ stdin)"
CLI_ASK_JSON_HELP = "in câu trả lời dạng JSON"
CLI_ASK_QUESTION_HELP = "câu hỏi; bỏ trống để đọc từ stdin"
CLI_INGEST_HELP = "thêm tệp, thư mục, trang web hoặc RSS/Atom"
CLI_SAMPLES_HELP = "nạp bộ bài mẫu đi kèm"
CLI_IF_EMPTY_HELP = "chỉ nạp khi chưa có bài nào"
CLI_REINDEX_HELP = "đọc lại mọi nguồn và cập nhật chỉ mục theo những gì đã đổi"
CLI_REINDEX_FULL_HELP = "dựng lại toàn bộ chỉ mục từ các bài đã lưu (sau khi nâng cấp định dạng)"
CLI_SOURCES_HELP = "liệt kê các nguồn đã đăng ký"
CLI_STATS_HELP = "thống kê bài viết, đoạn văn, văn bản, chỉ mục"
CLI_CHAT_HELP = "trò chuyện trên màn hình dòng lệnh, trả lời như bot"
CLI_RUN_HELP = "chạy bot Telegram"
CLI_BACKUP_HELP = "sao lưu cơ sở dữ liệu (an toàn khi bot đang chạy)"
CLI_BACKUP_DESCRIPTION = (
    "Sao lưu trực tuyến cơ sở dữ liệu vào PATH rồi kiểm tra bản sao. PATH có "
    "thể chứa mã ngày giờ kiểu strftime, ví dụ backups/vankien-%Y%m%d.db."
)
CLI_BACKUP_PATH_HELP = "tệp sao lưu cần tạo"
CLI_BACKUP_FORCE_HELP = "ghi đè nếu tệp đã có"
CLI_CHECK_HELP = "kiểm tra cơ sở dữ liệu (toàn vẹn và nhất quán)"
CLI_CHECK_DESCRIPTION = (
    "Chạy PRAGMA integrity_check và các kiểm tra riêng của vankien, chỉ đọc. "
    "Mã thoát 0: ổn; 1: có vấn đề."
)
CLI_CHECK_PATH_HELP = "tệp cần kiểm tra (mặc định: VANKIEN_DB)"
CLI_CITE_HELP = "dòng trích dẫn chuẩn của một văn bản và các nguồn"
CLI_TIMELINE_HELP = "nơi và thời điểm văn bản được học tập, quán triệt, mới nhất trước"
CLI_GAPS_HELP = "câu hỏi gần đây chưa trả lời được hoặc bị 👎, gộp theo chủ đề"
CLI_JSON_HELP = "in dạng JSON"
CLI_ID_HELP = "số hiệu, ví dụ 21-KL/TW, KL21"
CLI_DAYS_HELP = "số ngày gần nhất (mặc định 7)"

# -- configuration and start-up faults (one line, exit 1) ----------------------------------
CONFIG_INVALID = "Cấu hình không hợp lệ — {problems}"
ADMIN_IDS_INVALID = "phải là các số id người dùng, cách nhau bằng dấu phẩy"
TOKEN_MISSING = (
    "Chưa có TELEGRAM_BOT_TOKEN — hãy lấy token từ @BotFather và đặt vào biến môi trường "
    "hoặc tệp .env."
)
TOKEN_MALFORMED = (
    "TELEGRAM_BOT_TOKEN không đúng dạng (phải như 123456789:AAH…, gồm số id, dấu hai "
    "chấm và chuỗi ký tự) — hãy sao chép lại từ @BotFather."
)
TOKEN_UNAUTHORIZED = (
    "Token bị từ chối: Bot API trả lời 401 (Unauthorized) — token sai hoặc đã bị thu "
    "hồi. Hãy lấy token mới từ @BotFather và đặt vào TELEGRAM_BOT_TOKEN."
)
TOKEN_REJECTED = (
    "Token bị từ chối: Bot API tại {api} trả lời {status} — "
    "token sai, hoặc TELEGRAM_BASE_URL sai đường dẫn (máy chủ Bot API riêng có dạng "
    "http://máy:8081/bot). Hãy kiểm tra TELEGRAM_BOT_TOKEN và TELEGRAM_BASE_URL."
)
WEBHOOK_SECRET_MALFORMED = (
    "VANKIEN_WEBHOOK_SECRET chỉ được gồm chữ cái Latin, chữ số, '_' và '-' (tối đa 256 ký tự)."
)
WEBHOOK_URL_NOT_HTTPS = "VANKIEN_WEBHOOK_URL phải là địa chỉ https:// (Telegram yêu cầu)."
METRICS_PORT_BUSY = (
    "Không mở được cổng {host}:{port} cho /healthz và /metrics "
    "(VANKIEN_METRICS_PORT): {reason}. Hãy chọn cổng khác."
)
METRICS_PORT_CLASH = "VANKIEN_METRICS_PORT phải khác VANKIEN_PORT (cổng webhook)."

# -- /healthz problems (read by admins and monitors) --------------------------------------
HEALTH_API_SILENT = (
    "Không gọi được Bot API của Telegram suốt {seconds:.0f} giây qua "
    "(kiểm tra mạng, TELEGRAM_BOT_TOKEN, TELEGRAM_BASE_URL)."
)
HEALTH_CONFLICT = (
    "Telegram trả lỗi 409 Conflict khi nhận tin (getUpdates) suốt {seconds:.0f} giây: "
    "đang có một bản bot khác chạy cùng token. Chỉ được chạy một bản."
)
HEALTH_NO_SERVICE = "Chưa mở được cơ sở dữ liệu và chỉ mục."
HEALTH_NO_INDEX = (
    "Chưa có chỉ mục: cơ sở dữ liệu chưa có bài viết nào. Hãy nạp nguồn bằng "
    "`vankien ingest …` hoặc lệnh /addsource."
)

# -- log lines admins read (logging fills the %-placeholders lazily, not str.format) -------
LOG_API_UNREACHABLE = "Không kết nối được tới Bot API tại %s (%s) — thử lại sau %d giây"
LOG_REDACTED = "<đã ẩn>"
