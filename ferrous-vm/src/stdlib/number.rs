//! PLACEHOLDER until the real module lands.
pub(crate) fn fmt_number(n: f64, out: &mut Vec<u8>) {
    if n == n.trunc() && n.abs() < 1e15 {
        out.extend_from_slice(format!("{}", n as i64).as_bytes());
    } else {
        out.extend_from_slice(format!("{n}").as_bytes());
    }
}
pub(crate) fn str_to_number(s: &[u8]) -> Option<f64> {
    std::str::from_utf8(s).ok()?.trim().parse().ok()
}
pub(crate) fn str_to_number_base(s: &[u8], base: u32) -> Option<f64> {
    u64::from_str_radix(std::str::from_utf8(s).ok()?.trim(), base)
        .ok()
        .map(|x| x as f64)
}
