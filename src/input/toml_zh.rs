//! The TOML reader's messages in Chinese: the parser and serde speak
//! English, and a Chinese-mode user reads every message in Chinese. Known
//! phrases are translated; the quoted parts (values, keys) are kept.

/// Chinese (found, expected) for the TOML reader's message `msg`.
pub(crate) fn toml_zh(msg: &str) -> (String, String) {
    let (head, tail) = msg.split_once(", expected ").unwrap_or((msg, ""));
    let head = head.trim();
    let expected = if tail.is_empty() {
        "符合 TOML 格式的内容 (见 docs/policy.md)".to_string()
    } else {
        expected_zh(tail)
    };
    if let Some((_, zh)) = PHRASES.iter().find(|(en, _)| head == *en) {
        return (zh.to_string(), expected);
    }
    let value = head
        .strip_prefix("invalid type: ")
        .or_else(|| head.strip_prefix("invalid value: "));
    if let Some(v) = value {
        return (found_zh(v), expected);
    }
    if let Some(rest) = head.strip_prefix("missing field ") {
        return ("缺少这个键".to_string(), format!("键 {rest} 的值"));
    }
    if let Some(rest) = head.strip_prefix("unknown variant ") {
        return (format!("未知的值 {rest}"), expected);
    }
    if let Some(rest) = head.strip_prefix("duplicate key") {
        return (format!("重复的键{rest}"), "每个键只写一次".to_string());
    }
    ("不符合 TOML 格式的内容".to_string(), expected)
}

/// A value or type as serde names it (`string "two"`, `integer 3`).
fn found_zh(a: &str) -> String {
    for (en, zh) in TYPES {
        if let Some(rest) = a.strip_prefix(en) {
            return format!("{zh}{rest}");
        }
    }
    a.to_string()
}

/// What serde or the parser expected (`u32`, `a string`, `` `,` ``).
fn expected_zh(b: &str) -> String {
    let t = b.trim();
    let t = t
        .strip_prefix("a ")
        .or_else(|| t.strip_prefix("an "))
        .unwrap_or(t);
    for (en, zh) in TYPES {
        if t == *en || t.starts_with(&format!("{en} ")) {
            return zh.to_string();
        }
    }
    if let Some(rest) = t.strip_prefix("one of ") {
        return format!("以下之一: {rest}");
    }
    if t.starts_with('`') {
        return t.replace(" or ", " 或 ").replace(", ", "、");
    }
    "文档中说明的值 (见 docs/policy.md)".to_string()
}

/// Serde's names of TOML values and Rust types, in Chinese.
const TYPES: &[(&str, &str)] = &[
    ("string", "字符串"),
    ("integer", "整数"),
    ("floating point", "小数"),
    ("float", "小数"),
    ("boolean", "true 或 false"),
    ("sequence", "数组 [...]"),
    ("array", "数组 [...]"),
    ("map", "表 {...}"),
    ("table", "表 {...}"),
    ("struct", "表 {...}"),
    ("datetime", "日期"),
    ("u8", "整数"),
    ("u16", "整数"),
    ("u32", "非负整数"),
    ("u64", "非负整数"),
    ("i32", "整数"),
    ("i64", "整数"),
    ("f64", "数字"),
    ("f32", "数字"),
    ("bool", "true 或 false"),
    ("unit", "空值"),
];

/// The TOML parser's messages (toml_parser), in Chinese.
const PHRASES: &[(&str, &str)] = &[
    (
        "missing comma between array elements",
        "数组元素之间缺少逗号",
    ),
    (
        "missing comma between key-value pairs",
        "键值对之间缺少逗号",
    ),
    (
        "missing assignment between key-value pairs",
        "键和值之间缺少等号 =",
    ),
    (
        "extra assignment between key-value pairs",
        "键值对之间多了一个等号 =",
    ),
    ("extra comma in array", "数组中多了一个逗号"),
    ("extra comma in inline table", "内联表中多了一个逗号"),
    ("extra `=`", "多了一个等号 ="),
    ("unexpected `=` in array", "数组中不该有等号 ="),
    ("unclosed array", "数组缺少右方括号 ]"),
    ("unclosed table", "表头缺少右方括号 ]"),
    ("unclosed array table", "数组表头缺少 ]]"),
    ("unclosed inline table", "内联表缺少右花括号 }"),
    ("missing array opening", "数组缺少左方括号 ["),
    ("missing inline table opening", "内联表缺少左花括号 {"),
    ("missing table open", "表头缺少左方括号 ["),
    ("missing key for inline table element", "内联表的元素缺少键"),
    ("missing value", "缺少值"),
    ("missing value for key", "键缺少值"),
    ("key with no value", "键没有值"),
    ("missing opening quote", "缺少左引号"),
    ("missing closing quote", "缺少右引号"),
    ("invalid basic string", "字符串格式错误"),
    ("invalid multi-line basic string", "多行字符串格式错误"),
    ("invalid literal string", "字符串格式错误"),
    ("missing escaped value", "转义符 \\ 后缺少字符"),
    ("too few unicode value digits", "\\u 后的十六进制位数不够"),
    ("string values must be quoted", "文字值要加引号"),
    (
        "invalid unquoted key",
        "不加引号的键只能含字母、数字、- 和 _",
    ),
    ("unquoted keys cannot be empty", "键不能为空"),
    (
        "keys cannot be multi-line basic strings",
        "键不能是多行字符串",
    ),
    (
        "keys cannot be multi-line literal strings",
        "键不能是多行字符串",
    ),
    ("invalid key-value pair", "键值对格式错误"),
    ("invalid inline table element", "内联表元素格式错误"),
    ("invalid value", "值的格式错误"),
    ("unexpected key or value", "多余的键或值"),
    ("unexpected content", "多余的内容"),
    (
        "unexpected content between comment and newline",
        "注释之后有多余的内容",
    ),
    ("invalid comment character", "注释中有不允许的字符"),
    ("missing comment start", "缺少注释符 #"),
    (
        "carriage return must be followed by newline",
        "回车符后必须是换行符",
    ),
    ("unexpected leading zero", "数字不能以 0 开头"),
    ("unexpected sign", "多余的正负号"),
    ("redundant numeric sign", "多余的正负号"),
    ("redundant integer number prefix", "多余的数字前缀"),
    (
        "integers with a radix cannot be signed",
        "带进制前缀的整数不能有正负号",
    ),
    ("radix must be lowercase", "进制前缀要小写"),
    ("`_` may only go between digits", "_ 只能写在两个数字之间"),
    (
        "cannot recurse further; max recursion depth met",
        "嵌套层数过多",
    ),
    ("duplicate key", "重复的键"),
    ("invalid table header", "表头格式错误"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_and_serde_messages_are_translated() {
        let (f, e) = toml_zh("missing comma between array elements, expected `,`");
        assert_eq!((f.as_str(), e.as_str()), ("数组元素之间缺少逗号", "`,`"));
        let (f, e) = toml_zh("invalid type: string \"two\", expected u32");
        assert_eq!((f.as_str(), e.as_str()), ("字符串 \"two\"", "非负整数"));
        let (f, _) = toml_zh("something new");
        assert!(!f.is_ascii(), "{f}");
    }
}
