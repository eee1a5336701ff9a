/**
 * The identities behind API Particulier's staging "fake FranceConnect tokens"
 * (`etalab/siade_staging_data` `payloads/france_connect/*.yml`: all_fc, cnaf_qfv2/cnaf_css/cnaf_eaje,
 * cnous, mesri, service_civique), in the same columns as the FranceConnect sandbox citizens so the
 * API Particulier stand-in can recognise them. Only the pivot identity is known for them; the login
 * is the staging token's name prefixed with `apip_`, the password is `123` like the other demo
 * identities.
 */
export const API_PARTICULIER_STAGING_IDENTITIES_CSV = `login,password,family_name,preferred_username,given_name,gender,email,phone_number,birthdate,birthplace,birthcountry,country,locality,postal_code,street_address
apip_all_fc,123,Delatour,,Thomas,male,,,1994-04-16,75111,99100,,,,
apip_cnaf_qfv2,123,CNAF,,Georges,male,,,2002-01-01,75002,99100,,,,
apip_cnous,123,MARTIN,,Jean,male,,,2001-01-01,75002,99100,,,,
apip_mesri,123,MESRI,,Jean,male,,,2002-01-01,75002,99100,,,,
apip_service_civique,123,Service Civique,,Jean,male,,,2002-01-01,75002,99100,,,,
`;
