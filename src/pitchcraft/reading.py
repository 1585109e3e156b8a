"""Reading input files safely: regular files only, never more than a limit, text cleaned for XML.

Every file pitchcraft reads comes from someone else (a profile, a spreadsheet export, a case, a
reference document), so each read here is bounded and typed:

- :func:`read_regular` opens without blocking and refuses anything but a regular file (a FIFO would
  hang, ``/dev/zero`` would never end), then reads at most ``limit + 1`` bytes;
- :func:`decode_text` tells UTF-16 and GBK apart from UTF-8 in words a manager can act on;
- :func:`xml_safe` drops the characters no Word or PowerPoint document can carry (U+FFFE, U+FFFF,
  C0 controls): text is cleaned where it is read, so every writer downstream gets clean text;
- :func:`check_zip` refuses a package (.docx, .pptx, .xlsx) whose parts would unpack to more than a
  limit, or that declares a DTD, before any library unpacks it whole.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import zipfile
from functools import lru_cache
from pathlib import Path

from .errors import PitchcraftError

MAX_BYTES = 64 * 1024 * 1024       # bytes read from any input file
MAX_PART = 64 * 1024 * 1024        # bytes one part of a zip package may unpack to
MAX_PACKAGE = 256 * 1024 * 1024    # bytes all parts of a package may unpack to
MAX_PARTS = 10_000                 # parts in one package

# characters XML 1.0 cannot carry (lxml refuses them): C0 controls but tab, LF, CR; U+FFFE, U+FFFF;
# lone surrogates (only reachable through escapes)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class ReadError(PitchcraftError):
    """A file that cannot be read as asked; ``message`` is in Chinese, for the person who chose it.
    Callers usually turn it into a :class:`~pitchcraft.errors.Problem`; uncaught, the CLI shows it."""

    def __init__(self, path: Path | str, message: str, too_large: bool = False):
        self.path = path
        self.message = message
        self.too_large = too_large
        super().__init__(f"{path}：{message}")


def size_text(n: int) -> str:
    """A byte count as a reader says it: 980 字节, 3.2 KB, 1.5 MB."""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名或路径过长（每一级文件夹名最多 255 字节，约 85 个汉字）",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.EEXIST: "已存在同名的文件或文件夹",
    errno.ELOOP: "符号链接循环",
    errno.EMFILE: "同时打开的文件太多",
    errno.EIO: "磁盘读写错误",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EXDEV: "不能跨磁盘移动",
    errno.ENOTEMPTY: "文件夹不是空的",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in Chinese: what happened, as a manager can act on it."""
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None:
        code = errno.errorcode.get(exc.errno or -1)
        reason = f"系统错误（错误代码 {code}）" if code else "系统错误"
    return reason


def os_message(exc: OSError, doing: str = "处理") -> str:
    """``无法写入 /x/y：磁盘空间不足``: the file named by the error, and the reason in Chinese."""
    name = exc.filename if exc.filename is not None else ""
    where = f" {name}" if name else ""
    return f"无法{doing}{where}：{os_reason(exc)}"


def read_regular(path: Path | str, limit: int = MAX_BYTES, what: str = "文件") -> bytes:
    """The bytes of a regular file, at most ``limit`` of them; :class:`ReadError` otherwise.

    Opened with ``O_NONBLOCK`` so that a FIFO cannot make the open wait for a writer; whatever is
    not a regular file (a FIFO, a device, a socket, a folder) is refused before anything is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError(path, "是一个指向不存在文件的符号链接" if os.path.islink(path) else "文件不存在") from None
    except IsADirectoryError:
        raise ReadError(path, f"这是一个文件夹，不是{what}") from None
    except OSError as exc:
        raise ReadError(path, f"无法读取：{os_reason(exc)}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(path, f"这是一个文件夹，不是{what}")
        if not stat.S_ISREG(st.st_mode):
            kind = "管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else "设备或特殊文件"
            raise ReadError(path, f"这是一个{kind}，不是普通文件；请选择保存在磁盘上的{what}")
        if st.st_size > limit:
            raise ReadError(path, too_large_text(st.st_size, limit, what), too_large=True)
        chunks, left = [], limit + 1
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1024 * 1024))
            except OSError as exc:
                raise ReadError(path, f"无法读取：{os_reason(exc)}") from None
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > limit:  # a file that grew while it was read
            raise ReadError(path, too_large_text(None, limit, what), too_large=True)
        return raw
    finally:
        os.close(fd)


def not_regular(path: Path | str, what: str = "文件") -> str | None:
    """Why an existing ``path`` is no regular file, in Chinese; None when it is one (or is absent).

    For the places that choose between a workspace's file and a default: a file that is there but
    cannot be read must be said, never silently replaced by the default."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "是一个指向不存在文件的符号链接" if os.path.islink(path) else None
    except OSError as exc:
        return f"无法读取：{os_reason(exc)}"
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return f"这是一个文件夹，不是{what}"
    kind = "管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else "设备或特殊文件"
    return f"这是一个{kind}，不是普通文件；请选择保存在磁盘上的{what}"


def too_large_text(size: int | None, limit: int, what: str = "文件") -> str:
    told = f"（{size_text(size)}）" if size is not None and size > limit else ""
    return f"{what}过大{told}，上限 {size_text(limit)}；请检查是否选错了文件"


def encoding_problem(raw: bytes) -> tuple[int, str]:
    """Why ``raw`` is not UTF-8 text: (line of the first bad byte, message in Chinese)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        return 1, "文件是 UTF-16 编码（记事本的“Unicode”）；请在编辑器中另存为 UTF-8 后重试"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
    else:  # pragma: no cover - callers ask only about bytes that failed
        line = 1
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return line, "文件不是 UTF-8 编码，也无法识别为其他常见编码；请在编辑器中另存为 UTF-8 后重试"
    return line, "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中另存为 UTF-8 后重试"


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: mostly ASCII text with a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0), odd.count(0)) > 0.4 * len(sample) / 2


def decode_text(raw: bytes) -> tuple[str | None, int, str]:
    """UTF-8 (with or without BOM) to text; or (None, line, message) saying what the bytes are."""
    try:
        return (raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw).decode("utf-8"), 0, ""
    except UnicodeDecodeError:
        line, message = encoding_problem(raw)
        return None, line, message


def xml_safe(text: str) -> str:
    """``text`` without the characters a Word or PowerPoint document cannot carry."""
    return NOT_XML.sub("", text) if NOT_XML.search(text) else text


def bad_characters(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` holds characters :func:`xml_safe` drops: (line, column, U+XXXX), 1-based."""
    out = []
    for m in NOT_XML.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        out.append((line, col, f"U+{ord(m.group()):04X}"))
    return out


_ZIP_REASONS = {
    zipfile.BadZipFile: "不是有效的压缩包，可能只下载了一部分或被改了扩展名",
    zipfile.LargeZipFile: "压缩包过大",
    EOFError: "文件不完整",
    ValueError: "压缩包的目录有误",
    NotImplementedError: "使用了不支持的压缩方式",
}


def check_zip(path: Path | str, what: str = "文件", *, max_part: int = MAX_PART,
              max_total: int = MAX_PACKAGE, max_parts: int = MAX_PARTS) -> None:
    """Refuse a package that would unpack beyond the limits, or holds an XML part with a DTD.

    A zip's directory says how large each part unpacks to, and Python's reader never yields more
    than that (a lying entry fails its CRC), so the directory is enough to bound what a library
    that reads parts whole (python-pptx, openpyxl) will take. A DTD can declare entities that expand
    without limit, and no Office package needs one.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > max_parts:
                raise ReadError(path, f"{what}包含 {len(infos)} 个部件，上限 {max_parts}；文件可能已损坏")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > max_part:
                    raise ReadError(path, f"{what}中的部件 {info.filename} 解压后过大（{size_text(info.file_size)}），"
                                          f"上限 {size_text(max_part)}；文件可能已损坏或被篡改")
                if total > max_total:
                    raise ReadError(path, f"{what}解压后过大，上限 {size_text(max_total)}；文件可能已损坏或被篡改")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and not info.is_dir():
                    with z.open(info) as fh:
                        head = fh.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise ReadError(path, f"{what}中的部件 {info.filename} 含有 DTD 声明（<!DOCTYPE），"
                                              "正常的 Office 文件不会有；拒绝打开")
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ReadError(path, f"{what}已损坏或不是 Office 文件（{_ZIP_REASONS.get(type(exc), '无法解压')}）；"
                              "请用 Word 或 PowerPoint 打开后另存一份") from None
    except OSError as exc:
        raise ReadError(path, f"无法读取：{os_reason(exc)}") from None


@lru_cache(maxsize=8)
def _checked(path: str, mtime_ns: int, size: int, what: str) -> None:
    check_zip(path, what)


def check_package(path: Path | str, what: str = "参考文档") -> None:
    """:func:`check_zip` with the default limits, once per version of the file (a batch renders
    hundreds of documents on one reference)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(path, f"无法读取：{os_reason(exc)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(path, not_regular(path, what) or f"{what}不是普通文件")
    if st.st_size > MAX_PACKAGE:
        raise ReadError(path, too_large_text(st.st_size, MAX_PACKAGE, what), too_large=True)
    _checked(str(path), st.st_mtime_ns, st.st_size, what)


# Names Windows reserves for devices, with or without an extension ("CON.yaml" is the console).
_DEVICE = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(\..*)?$")


def is_device_name(name: str) -> bool:
    """Whether a file or folder name is one Windows reserves (CON, NUL, COM1, LPT1.txt …)."""
    return _DEVICE.match(name.rstrip(" .")) is not None


def safe_stem(stem: str, fallback: str = "client") -> str:
    """A file-name stem no system refuses: a Windows device name gets a ``_`` after it."""
    stem = stem or fallback
    if not is_device_name(stem):
        return stem
    base, dot, rest = stem.partition(".")
    return f"{base}_{dot}{rest}"  # CON -> CON_, CON.txt -> CON_.txt
