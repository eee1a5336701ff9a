/**
 * The demo identities of FranceConnect v2's sandbox mock identity provider (fip1-low), verbatim
 * from `france-connect/sources` `docker/volumes/fcp-low/mocks/idp/databases/citizen/base.csv`
 * (kept in the repository so that the sandbox runs from it alone; see docs/domain.md §1.12). Header kept; blank lines are separators and are skipped when parsed.
 */
export const FC_V2_SANDBOX_CITIZENS_CSV = `login,password,family_name,preferred_username,given_name,gender,email,phone_number,birthdate,birthplace,birthcountry,country,locality,postal_code,street_address

test,123,DUBOIS,,Angela Claire Louise,female,wossewodda-3728@yopmail.com,123456789,1962-08-24,75107,99100,France,Paris,75107,20 avenue de Ségur
avec_nom_dusage,123,MERCIER,DUBOIS,Pierre,male,ymmyffarapp-1777@yopmail.com,623456789,1969-03-17,95277,99100,France,Paris,75107,20 avenue de Ségur
nom_composé,123,TROIS-DUPRE,,Melissandre Juliette,female,imyllommo-2736@yopmail.com,723456789,1981-07-27,13012,99100,France,Paris,75107,20 avenue de Ségur
nom_50+_caractères,123,AZERTYUIOPMLKJHGFDSQWXCVBNAZERTYUIOPMLKJHGFDSQWXCVBN,,Bertrand Cyril,male,cyxoxudaj-2393@yopmail.com,123456789,2000-03-01,75119,99100,France,Paris,75107,20 avenue de Ségur
carac_speciaux,123,DURANTéàèùòœæŒÆ,,JulieéàèùòœæŒÆ,female,test@yopmail.com,0102030405,1972-06-14,2B002,99100,France,Nantes,44317,20 avenue de Ségur
plusieurs_prénoms_2,123,HOCHON,,Valentin Emmanuel,male,lippizucis-4803@yopmail.com,223456789,1955-01-01,69674,99100,France,Paris,75107,20 avenue de Ségur
plusieurs_prénoms_3,123,DUBIGNOT,,Jean Philippe Arnaud,male,ecuhebup-9337@yopmail.com,123456789,1943-06-15,75109,99100,France,Paris,75107,20 avenue de Ségur
prénom_composé,123,HUCHE,,Anne-Laure,female,owallottim-1136@yopmail.com,923456789,1945-09-30,31555,99100,France,Paris,75107,20 avenue de Ségur
prénom_composé_avec_espace,123,Martin,Martin,Jean_PrénomComposéAvecEspace,male,multiPrenom@france.fr,123456789,1962-08-24,75107,99100,France,75107,Paris,20 avenue de Ségur
caractères_spéciaux,123,DUBINÔRE,,Joëlle Françoise,female,effannopiq-4009@yopmail.com,123456789,1992-08-15,75117,99100,France,Paris,75107,20 avenue de Ségur
nom_prénom_long,123,DELALALALANDE,,Emmanuel Alexandre Nicolas,male,holisadduppe-5969@yopmail.com,123456789,1991-01-07,75101,99100,France,Paris,75107,20 avenue de Ségur
moins_16_ans,123,POSTEUR,,Alain,male,deseffesseupu-5120@yopmail.com,123456789,2015-06-20,75113,99100,France,Paris,75107,20 avenue de Ségur
moins_18_ans,123,CHAMPION,,Alice Juliette,female,tonegellaf-0100@yopmail.com,123456789,2009-05-02,44109,99100,France,Paris,75107,20 avenue de Ségur
moins_25_ans,123,CUILLERE,,Paul,male,minnannuxammi-4532@yopmail.com,123456789,2007-01-23,42218,99100,France,Paris,75107,20 avenue de Ségur
genre_indéfini,123,LAFORGE,,Camille,unspecified,xagreureufadda-6730@yopmail.com,,1954-08-07,75119,99100,France,Paris,75107,20 avenue de Ségur
mois_00,123,MARTIN,,Yasser,male,yasser-martin@yopmail.com,123456789,1977-00-03,75010,99100,France,Paris,75010,1 rue d'Alsace

sans_prenom,123,MARTIN,,,female,zalojummu-4690@yopmail.com,0102030405,1972-06-14,97601,99100,France,Nantes,44317,20 avenue de Ségur
sans_nom_naissance,123,,,Anne-Laure Angélique,female,nepocajapp-8174@yopmail.com,123456789,1992-08-12,75103,99100,France,Paris,75107,20 avenue de Ségur
sans_nom_dusage,123,DUPONT,,Paul Louis,male,etabage-0159@yopmail.com,123456789,1962-08-24,75107,99100,France,Paris,75107,20 avenue de Ségur
sans_mail,123,DUFOUR,DUFOUR,Amandine,female,,123456789,1989-03-02,75119,99100,France,Paris,75107,20 avenue de Ségur
sans_telephone,123,MEUNIER,MEUNIER,Hugo,male,sans_tel@test.fr,,1990-12-19,75119,99100,France,Paris,75107,20 avenue de Ségur
sans_mail_sans_tel,123,DUPAIN,DUPAIN,Eva,female,,,1990-12-06,75119,99100,France,Paris,75107,20 avenue de Ségur
sans_genre,123,ARTOIS,,Dominique,,beitezeiteitou-9917@yopmail.com,,1984-01-06,75119,99100,France,Paris,75107,20 avenue de Ségur
sans_birthplace,123,SAVIGNY,,Rémi,male,coimmettawawo-7344@yopmail.com,,1975-11-16,,99100,France,Paris,75107,20 avenue de Ségur

test_CORSE_2A,123,Brosse,Mario,Mario,male,mario.brosse@france.fr,0123456789,1981-02-03,2A004,99100,France,Ajaccio,20000,1 Place Salengro
test_CORSE_2B,123,Brosse,Luigi,Luigi,male,luigi.brosse@france.fr,0123456789,1981-02-03,2B050,99100,France,Calvi,20260,1 Place Salengro
naissance_Algérie,123,MARTIN,,Vincent Guillaume,male,senossammab-2430@yopmail.com,123456789,1963-12-05,,99352,France,Paris,75107,20 avenue de Ségur
naissance_Maroc,123,GODIN,,Ermengardi,female,ammixaffa-0022@yopmail.com,123456789,1985-09-05,,99350,France,Paris,75107,20 avenue de Ségur
naissance_Portugal,123,SÉGUIN,,Henry,male,sanellaffilu-1962@yopmail.com,123456789,1955-06-19,,99139,France,Paris,75107,20 avenue de Ségur
naissance_Belgique,123,LAPRISE,DULIN,Saber,male,cynnepovaz-0031@yopmail.com,123456789,1946-08-17,,99131,France,Paris,75107,20 avenue de Ségur
naissance_Espagne,123,CHEVAL,POULAIN,Marphisa,female,yttenneje-5416@yopmail.com,123456789,1982-02-24,,99134,France,Paris,75107,20 avenue de Ségur
naissance_Italie,123,LIVRE,,Julien Bernard Pierre,male,inaqyzome-0621@yopmail.com,123456789,1984-01-23,,99127,France,Paris,75107,20 avenue de Ségur
naissance_polynesie_française,123,REVEIL,,Titouan,male,nesspolynesie@yopmail.com,123456789,1998-06-18,98729,99100,France,Nantes,44317,20 avenue de Ségur
naissance_wallis_futuna,123,Fleury,,Fabien,male,ijujasa-5293@yopmail.com,0102030405,1972-06-14,98611,99100,France,Nantes,44317,20 avenue de Ségur
naissance_etranger_birthplace_cog,123,ALGER,,Vincent,male,didejuttoja-8426@yopmail.com,123456789,1963-12-05,90900,99352,France,Paris,75107,20 avenue de Ségur
naissance_etranger_birthplace_texte,123,ALGERIE,,Alia,female,xagreureufadda-6730@yopmail.com,123456789,1963-12-05,Alger,99352,France,Paris,75107,20 avenue de Ségur

étranger_présumé_né_jour,123,FLEURET,,Jean,male,jean-fleuret@yopmail.com,123456789,1992-11-00,,99217,,,,
étranger_présumé_né_jour_et_mois,123,TARGE,,Jean,male,jean-targe@yopmail.com,123456789,1992-00-00,,99217,,,,
`;
