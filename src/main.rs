fn main() {
    let cli = kehou::app::parse();
    let lang = cli.lang;
    match kehou::app::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("{}: {}", lang.t("错误", "error"), e.render(lang));
            std::process::exit(2);
        }
    }
}
