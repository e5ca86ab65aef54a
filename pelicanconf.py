"""Development settings: relative URLs, so output/ works from any folder and from file://."""

import sys
from pathlib import Path

# The plugins import the packages beside them (the domain model, the engine): under `pelican
# content` as under `invoke build`, plugins/ is where Python finds them.
PLUGIN_PATHS = [str(Path(__file__).resolve().parent / "plugins")]
if PLUGIN_PATHS[0] not in sys.path:
    sys.path.insert(0, PLUGIN_PATHS[0])

SITENAME = "安徽省外事（侨务、港澳）办公室政府信息公开网"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
LOCALE = ("C.UTF-8", "C")  # stable formatting; UTF-8 so Chinese file names work
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

PLUGINS = [
    "disclosure",
    "accessible_body",
    "annual_report",
    "data_tables",
    "procurement",
    "finance",
    "catalogue",
    "application",
    "search",
    "cms_admin",
    "publishing",
]
ANNUAL_REPORT_COLUMN = "annual-reports"  # 政府信息公开年报: reports need 报告年度 and 报告格式

# Disclosure model (plugins/disclosure): configuration files inside content/.
DISCLOSURE_CATALOGUE = "catalogue.yml"  # 信息公开目录
DISCLOSURE_PUBLISHERS = "publishers.yml"  # 发布机构

# Every Markdown file is a disclosure document; nothing is a Pelican "page".
ARTICLE_PATHS = [""]
PAGE_PATHS = []
READERS = {"html": None, "htm": None, "rst": None}
STATIC_PATHS = []  # attachments are published only when a document lists them
# Files a technician has reviewed that would otherwise be refused as attachments (.html, .svg,
# .xml…: a browser may run them). Paths relative to content/.
PUBLISH_REVIEWED_FILES = []
IGNORE_FILES = [".#*", ".*"]
# One language: no translations to look for (Pelican's search for them takes O(n²) time).
ARTICLE_TRANSLATION_ID = None

# URLs are ASCII and derive from the 索引号 (see disclosure.index_number), never from titles.
ARTICLE_URL = "docs/{slug}.html"
# Document pages are written by the catalogue plugin (which reuses unchanged pages), not by Pelican.
ARTICLE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
CATEGORY_SAVE_AS = ""  # column pages come from the catalogue plugin
INDEX_SAVE_AS = "index.html"
# Pelican's own taxonomies would produce pages with Chinese slugs; the catalogue replaces them.
TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DIRECT_TEMPLATES = []  # home, catalogue and listings come from the catalogue plugin
DEFAULT_PAGINATION = False

# Feeds (site-wide and one per list column) are written by the catalogue plugin.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# Every page's policy (a <meta>; deploy/nginx/site.conf sends the same as a header). Nothing is
# loaded from another host and there is no inline script. publishconf.py narrows script-src to the
# two folders the site's own scripts live in, where nothing from content/ is ever published.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)

# The web editor (Decap CMS) at admin/: our page and config from admin/, Decap's pinned bundle as
# `make setup` unpacks it (the version is the Makefile's DECAP_VERSION).
CMS_ADMIN = True
CMS_ADMIN_DIR = str(Path(__file__).resolve().parent / "admin")
CMS_DECAP_DIR = str(Path(__file__).resolve().parent / "node_modules/.decap-cms-3.16.3")

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# The site check judges freshness and dates as of today. The sample content is the department's
# site as of early 2015: CI inspects it with `invoke check-site --as-of 2015-03-31` (.ci/run).
# SITE_CHECK_AS_OF = "2015-03-31" would fix the date here instead, for a frozen demonstration only:
# an editor's notice dated today would then be "in the future" and publishing would refuse it.

# Navigation: (label, target); "column:<code>" names a node of content/catalogue.yml.
MAIN_NAV = [
    ("首页", "index.html"),
    ("信息公开目录", "catalogue/index.html"),
    ("政策文件", "column:policy"),
    ("政策解读", "column:interpretation"),
    ("财政资金", "finance/index.html"),
    ("采购项目一览", "procurement/index.html"),
    ("政府信息公开年报", "column:annual-reports"),
    ("依申请公开", "column:application"),
    ("搜索", "search.html"),
]
# The home page's blocks: (label, target[, description]); without one, a column's description
# shows. Its tabs of newest documents: HOME_TABS, see plugins/domain/defaults.py.
HOME_LINKS = [
    ("信息公开指南", "column:guide"),
    ("信息公开制度", "column:rules"),
    ("信息公开目录", "catalogue/index.html", "按栏目浏览本机关主动公开的全部政府信息"),
    ("政府信息公开年报", "column:annual-reports"),
    ("依申请公开", "column:application"),
]

FOOTER_LINKS = [
    ("网站地图", "sitemap.html"),
    ("联系我们", "contact.html"),
    ("信息公开指南", "column:guide"),
    ("目录数据（JSON）", "catalogue.json"),
    ("订阅（Atom）", "feeds/all.atom.xml"),
]

# Site identity and footer (页脚), shown by the theme; nothing of this is hard-coded there.
SITE_EMBLEM = ""  # path under output/ of the department's emblem image, e.g. "images/emblem.png"
PARTY_GOV_MARK = (
    None  # 党政机关网站标识: {"image": "images/dzjg.png", "url": "<registration page>"}
)
SITE_DOMAIN = "ahfao.gov.cn"  # SiteDomain page tag; publishconf.py derives it from SITEURL
SITE_OWNER = "安徽省外事（侨务、港澳）办公室"  # 主办单位
SITE_DESCRIPTION = (
    "安徽省外事（侨务、港澳）办公室政府信息公开网：政府信息公开指南、制度、目录、年报，"
    "预决算、招标采购等政府信息，及依申请公开。"
)
SITE_ADDRESS = "安徽省合肥市"  # sample data
SITE_PHONE = "0551-00000000"  # sample data
SITE_ID_CODE = "3400000000"  # 网站标识码, sample data
ICP_NUMBER = "皖ICP备00000000号"  # sample data
PSB_NUMBER = "皖公网安备 34000000000000号"  # sample data
ICP_URL = "https://beian.miit.gov.cn/"
PSB_URL = (
    "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode="  # the number's digits follow
)
SITE_EMAIL = ""
SITE_POSTCODE = "230000"  # sample data; 联系我们 shows the SITE_* details that are set
SITE_FAX = ""
SITE_OFFICE_HOURS = "工作日 上午 8:30–12:00，下午 14:30–17:30"  # sample data
SITE_MAP_URL = ""  # a map site's page of the office (a link only: the site loads nothing from it)

# 依申请公开 (plugin application): who receives applications and how to send them; sample data.
APPLICATION_OFFICE = "安徽省外事（侨务、港澳）办公室综合处"
APPLICATION_CHANNELS = [
    {
        "name": "当面提交",
        "details": [
            ("地点", "安徽省政务服务中心省外办窗口（合肥市）"),
            ("办公时间", "工作日 上午 9:00–12:00，下午 13:30–17:00（法定节假日除外）"),
        ],
        "note": "请携带身份证明；代为申请的，另带授权委托书。",
    },
    {
        "name": "信函申请",
        "details": [
            ("收件地址", "安徽省合肥市（示例地址）"),
            ("邮政编码", "230000"),
            ("收件人", "省外办综合处"),
        ],
        "note": "请在信封左下角注明“政府信息公开申请”字样。以收到信函之日为收到申请之日。",
    },
    {"name": "传真申请", "details": [("传真号码", "0551-00000001（示例数据）")]},
    {
        "name": "电子邮件申请",
        "details": [("电子邮箱", "xxgk@example.gov.cn")],
        "note": "示例数据。请将填好的申请表作为附件发送。",
    },
    {"name": "网上申请", "details": [("网址", "https://www.ah.gov.cn/hdjl/")]},
]
# The sample is the department's site as of 2015: the time limits of the 2008 条例 applied then.
APPLICATION_STEPS = [
    "收到申请后登记。申请内容不明确的，一次性告知申请人需要补正的内容。",
    "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 15 个工作日内予以答复。",
    "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，"
    "延长的期限最长不超过 15 个工作日。",
    "本机关依申请提供政府信息，不收取费用。",
]
