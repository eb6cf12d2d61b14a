//! The machine a benchmark ran on, for the first line of its report: ratios against the
//! reference programs depend on the processor (on an AMD EPYC the call-heavy programs ran
//! 0.95-1.09x lua5.1, on an Intel Xeon 1.2-1.25x, with the same code).

/// The processor's model and the logical processors this process may use, as one line:
/// `machine: Intel(R) Xeon(R) Processor, 2 logical CPUs`.
pub(crate) fn describe() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| model_name(&text))
        .unwrap_or_else(|| "unknown processor".to_owned());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("machine: {model}, {cpus} logical CPUs")
}

/// The first `model name` in `/proc/cpuinfo`'s text.
fn model_name(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::model_name;

    #[test]
    fn reads_the_first_model_name() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R14\n\
                    \nprocessor\t: 1\nmodel name\t: other\n";
        assert_eq!(model_name(text).as_deref(), Some("AMD EPYC 9R14"));
        assert_eq!(model_name("processor\t: 0\n"), None);
    }
}
