"""click's own words in Chinese: usage, help headings, parameter errors.

click looks its messages up through gettext at call time, as the module-level names `_` and `ngettext` of
its modules. A clerk never sees English if those names answer from the table below; a message missing from
the table falls back to click's English (tests/test_cli_face.py lists every message click 8.5 can print
through a command line and fails when one is not translated).
"""

from __future__ import annotations

import importlib

# click's message → its Chinese. Placeholders ({name}, {message}, …) are click's and must stay as they are.
MESSAGES: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本说明并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看说明。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令“{name}”。",
    "No such option {name!r}.": "没有选项“{name}”。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    "Option {name!r} does not take a value.": "选项“{name}”不带值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "default: {default}": "缺省：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Value must be an iterable.": "值必须是一组值。",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "directory": "目录",
    "file": "文件",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是目录。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    # (number_type is click's English type name, "integer"/"float": left out)
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数值，请写阿拉伯数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是是/否值。可用：{states}",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}

# (singular, plural) → Chinese, which has one form.
PLURAL_MESSAGES: dict[tuple[str, str], str] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "多余的参数（{args}）",
    (
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
    ): "选项“{name}”需要 {nargs} 个值。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "是否应为 {possibility}？",
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): "“{value}”不在可选值 {choices} 之中。",
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): "“{value}”不符合格式 {formats}。",
    (
        "Takes {nargs} values but 1 was given.",
        "Takes {nargs} values but {len} were given.",
    ): "需要 {nargs} 个值，实际给了 {len} 个。",
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "需要 {len_type} 个值，实际给了 {len_value} 个。",
}

# click's modules that print messages (each binds `_` and maybe `ngettext` at import).
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    translated = PLURAL_MESSAGES.get((singular, plural))
    if translated is None:
        return singular if count == 1 else plural
    return translated


def install() -> None:
    """Make every click module answer in Chinese. Idempotent."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
