use crate::domain::samenloop::FlagCode;

#[test]
fn flag_codes_are_the_contract_strings_and_parse_back() {
    let codes: Vec<&str> = FlagCode::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(
        codes,
        [
            "BESTAANSMINIMUM_ONDERSCHREDEN",
            "MEERDERE_BESLAGLEGGERS",
            "AFWIJKENDE_BESLAGVRIJE_VOET",
            "VORDERING_IN_REGELING_EN_BESLAG",
            "SAMENLOOP_REGELINGEN",
        ]
    );
    for code in FlagCode::ALL {
        assert_eq!(FlagCode::from_code(code.code()), Some(code));
    }
    assert_eq!(FlagCode::from_code("bestaansminimum_onderschreden"), None);
}
