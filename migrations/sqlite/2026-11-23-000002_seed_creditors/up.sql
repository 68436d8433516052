-- The CRI parties and the participants of the Betalingsregeling Rijk (policy rules Stcrt. 2022,
-- 31413 and Stcrt. 2023, 30505). CJIB, CAK and DUO take part since the policy rules of
-- 1 November 2022; NVWA since 2024 (the exact day is not published in our sources: 1 January is
-- an approximation the beheerder can correct); UWV, RDI and RVO since 1 July 2024.
-- Belastingdienst, Dienst Toeslagen and SVB do not take part.
-- No creditor is connected to this service until the beheerder says so (connected_from).
INSERT INTO creditors (code, name, claim_type_prefix, brr_from, connected_from, contact_website, contact_phone, updated_at) VALUES
    ('BELASTINGDIENST', 'Belastingdienst', 'bd', NULL, NULL, 'https://www.belastingdienst.nl', NULL, '2026-11-23 00:00:00'),
    ('TOESLAGEN', 'Dienst Toeslagen', 'tsl', NULL, NULL, NULL, NULL, '2026-11-23 00:00:00'),
    ('CJIB', 'Centraal Justitieel Incassobureau', 'cjib', '2022-11-01', NULL, 'https://www.cjib.nl', NULL, '2026-11-23 00:00:00'),
    ('DUO', 'Dienst Uitvoering Onderwijs', 'duo', '2022-11-01', NULL, 'https://duo.nl', NULL, '2026-11-23 00:00:00'),
    ('CAK', 'CAK', 'cak', '2022-11-01', NULL, 'https://www.hetcak.nl', NULL, '2026-11-23 00:00:00'),
    ('NVWA', 'Nederlandse Voedsel- en Warenautoriteit', 'nvwa', '2024-01-01', NULL, 'https://www.nvwa.nl', NULL, '2026-11-23 00:00:00'),
    ('UWV', 'Uitvoeringsinstituut Werknemersverzekeringen', 'uwv', '2024-07-01', NULL, 'https://www.uwv.nl', NULL, '2026-11-23 00:00:00'),
    ('RDI', 'Rijksinspectie Digitale Infrastructuur', 'rdi', '2024-07-01', NULL, 'https://www.rdi.nl', NULL, '2026-11-23 00:00:00'),
    ('RVO', 'Rijksdienst voor Ondernemend Nederland', 'rvo', '2024-07-01', NULL, 'https://www.rvo.nl', NULL, '2026-11-23 00:00:00'),
    ('SVB', 'Sociale Verzekeringsbank', 'svb', NULL, NULL, 'https://www.svb.nl', NULL, '2026-11-23 00:00:00');
