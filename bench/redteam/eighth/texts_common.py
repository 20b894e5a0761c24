"""Names and language-generic visitor texts (all written for this generator)."""

NAMES = {
    "sv": ("Anna Eva Maria Karin Sara Lena Emma Elin Ida Johanna Malin Sofia Linnea Hanna Frida Maja Wilma Ebba Agnes "
           "Birgitta Ulla Kerstin Erik Lars Anders Johan Per Karl Mikael Nils Jonas Oskar Viktor Emil Axel Hugo Gustav "
           "Björn Mats Göran Leif Sven Ahmed Fatima Yasmin Mohammed Dragan Mirela Tomasz Aida Rasmus Tove Alva",
           "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson "
           "Jonsson Lindberg Lindqvist Bergström Lundgren Sandberg Holm Åberg Sjöberg Wallin Engström Hedlund "
           "Nyström Ekman Hassan Ali Kovačević Nowak Öberg Strömberg Forsberg Dahlin Blom Mäkinen"),
    "fisv": ("Mikaela Jessica Johanna Sanna Pia Annika Camilla Heidi Tiina Jonna Stefan Mikael Patrik Tomas Kim Mats "
             "Jens Anders Niklas Fredrik Rasmus Oskar Jari Pekka Mia Ulla Tove Lotta Kaj Bo Emilia Jenny Marcus Robin",
             "Nyman Lindholm Lindqvist Björkqvist Holmström Granqvist Sundqvist Mattsson Westerlund Söderholm Ahlskog "
             "Backman Eriksson Forsman Grönroos Heikkinen Korhonen Lehtonen Nieminen Sjöblom Östman Wikström "
             "Blomqvist Storbacka Karlsson Nordling Sandvik"),
    "da": ("Mette Anne Hanne Susanne Lone Pia Camilla Louise Ida Freja Emma Sofie Mathilde Julie Kirsten Jens Lars "
           "Søren Mads Rasmus Jesper Henrik Anders Mikkel Frederik Thomas Niels Kasper Bo Morten Ahmed Fatima Yusuf "
           "Ayse Mehmet Birthe Gitte Lasse Malene Dorthe Oliver Magnus Asger",
           "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen "
           "Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen Knudsen Lund Holm Dalgaard Kjær Østergaard "
           "Yilmaz Hussein Bach Frandsen Vestergaard Mikkelsen Skov"),
    "nb": ("Ingrid Kari Anne Marit Hilde Silje Ida Nora Emma Thea Ingvild Solveig Ragnhild Guro Tone Ola Per Lars Jon "
           "Knut Bjørn Ole Anders Håkon Eirik Sindre Magnus Kristian Tor Geir Arne Sigurd Even Mona Amir Sara Zainab "
           "Piotr Agnieszka Randi Trond Vegard Live Marte Jørgen Stian",
           "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Berg Haugen Hagen "
           "Bakken Solberg Lie Dahl Strand Lunde Moen Aas Rønning Brekke Vik Eide Nygård Ahmed Kowalski Halvorsen "
           "Jacobsen Sandvik Iversen Ødegård"),
    "nn": ("Ingrid Kari Astrid Marit Hilde Synnøve Ingebjørg Ragnhild Guro Sigrid Solveig Brita Torunn Gunhild Ola "
           "Nils Lars Knut Olav Sjur Eirik Sindre Magnus Halvard Torstein Arne Sigurd Aslak Eivind Torleiv Vebjørn "
           "Jostein Oddny Marte Håvard Gaute Åse Terje",
           "Myklebust Tveit Eide Sætre Gjerde Rygg Hovland Nesheim Vinje Sande Fjeld Lægreid Hauge Bakke Dale Flatebø "
           "Skjervheim Ringheim Nygard Lid Vik Haugland Brekke Hole Øvretveit Gjerstad Mæland Aurland Rong Grov"),
    "en": ("Sarah Emma Laura Rachel Claire Sophie Hannah Chloe Megan Jade Karen Julie Lisa Amy Gemma Olivia Priya Aisha "
           "James David Mark Paul Chris Daniel Tom Ben Jack Ryan Craig Gary Steve Liam Connor Harry Rhys Callum "
           "Mohammed Raj Kwame Darren Siobhan Fiona Graham Ewan Niamh Tariq Beth",
           "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
           "Roberts Green Hall Wood Jackson Clarke Patel Khan Hughes Edwards Lewis Murphy O'Brien Campbell Stewart "
           "Armstrong Reid Okafor Nowak McKenzie Fletcher Begum Doyle Pritchard Shaw"),
}

# foreign-ish visitors seen on most Nordic pages
MIX_NAMES = ["Kevin Walsh", "Lucy Harper", "Marco Rossi", "Ana Silva", "Jan Kowalczyk", "Tuomas Virtanen",
             "Aino Mäkelä", "Hassan Omar", "Olga Petrova", "Lukas Weber", "Sven-Erik Palm", "Mirja Koski"]

GEN = {
    "sv": {
        "praise": ["Så bra!", "Härligt att se", "Toppen, tack för infon", "Ni är bäst ❤️", "Gillar verkligen det här",
                   "Snyggt jobbat!", "Äntligen!", "Vad kul", "Tummen upp 👍", "Grymt bra service igår, tack",
                   "Fin bild!", "Det här gör mig glad en grå måndag", "Heja er!", "Trevlig personal som alltid",
                   "Bästa nyheten idag"],
        "chatter": ["Vi ses där!", "Såg detta igår", "Intressant", "Jag var där förra året", "Haha klassiker",
                    "@{peer} kolla här", "@{peer} detta är väl nåt för dig", "Spännande", "Ok, noterat",
                    "Mamma kommer älska det här", "hmm får se", "Kanske nästa gång", "Undrar vad grannen säger 😅"],
        "complaint": ["Inte helt nöjd den här gången.", "Det blev inte riktigt som utlovat", "Lite besviken faktiskt",
                      "Dålig info på hemsidan", "Förra gången var bättre", "Det här borde ni fixa",
                      "Tog evigheter idag", "Mindre kul"],
        "thanks": ["Tack för snabbt svar!", "Tack! 🙏", "Super, tack", "Tack så mycket", "Perfekt, då vet jag",
                   "Ah okej, tack!", "tack för hjälpen", "Toppen 👍"],
        "greet": ["Hej! ", "Hej, ", "Hejsan! ", "Hallå ", "", "", "", "Hej hej ", "God morgon! "],
        "tail": ["", "", "", " Tack!", " Tack på förhand", " 🙏", " mvh"],
        "open": ["Hej {n}!", "Hej {n} 😊", "Hallå {n}!", "Hej!", "Tack för frågan {n}!"],
        "sign": [" /{a}", " //{a}", " /{a}", " Mvh {a}", " /{a} på kundtjänst"],
        "peer_a": ["Jag gjorde så förra veckan, funkade fint", "Ja! Det gick jättebra för oss", "Nej tyvärr, aldrig testat",
                   "Kolla med butiken först tycker jag", "Min syster har, hon var nöjd", "Jo, fast det tog ett tag"],
        "scam_react": ["Är ni hackade?? Vad är det här", "Klicka inte på länken, det är bluff!", "Detta är inte {brand}, anmäl inlägget",
                       "Någon har tagit över sidan", "Vad håller ni på med mitt i natten", "Anmält som spam", "Fy, rena bedrägeriet",
                       "ring någon på {brand}, sidan är kapad", "Varning till alla! Falskt inlägg", "hackade igen? 🙄"],
    },
    "fisv": {
        "praise": ["Fint!", "Bra å veta, tack", "Ni e bäst", "Tack för bra service senast", "Snyggt 👌", "Kiva att höra",
                   "Äntligen nå nytt", "Härligt", "Bra jobbat", "Tumme upp från Vasa", "Tack, det här va nyttigt"],
        "chatter": ["Vi ses i Mariehamn!", "@{peer} kolla", "Int visste jag det", "Jaha, nå så", "Intressant läsning",
                    "Samma här", "Hmm ska fundera", "Såg en skylt om detta i Jakobstad"],
        "complaint": ["Int helt nöjd med handläggningen", "Det tog väldigt länge senast", "Lite dåligt informerat",
                      "Sidan funkar int i mobilen", "Krångligt system", "Väntade en halv evighet i telefon"],
        "thanks": ["Tack så mycket!", "Tack för svaret", "Fint, tack", "Jaha, tack!", "Tackar!"],
        "greet": ["Hej! ", "Hejsan, ", "Moi! ", "", "", "God dag, "],
        "tail": ["", "", " Tack!", " Tack på förhand.", " mvh"],
        "open": ["Hej {n}!", "Hej {n}, tack för frågan!", "Hejsan {n}!"],
        "sign": [" /{a}", " Hälsningar {a}", " /{a}, kundservice"],
        "peer_a": ["Jag gjorde så i fjol, gick bra", "Int vet jag, fråga dem", "Jo det gick smidigt för oss"],
        "scam_react": ["Är ni hackade?", "Klicka int på länken!", "Detta e bluff, anmäl", "Nån har tagit över sidan"],
    },
    "da": {
        "praise": ["Skønt!", "Super lækkert", "I er de bedste ❤️", "Tak for god service i går", "Fedt!", "Endelig!",
                   "Hvor er det flot", "Glæder mig", "Tommel op 👍", "Så sødt personale i butikken", "Dejligt initiativ",
                   "Den er god med mig", "Godt gået!", "Nice 🙌"],
        "chatter": ["@{peer} se her", "@{peer} skal vi?", "Så det i avisen", "Spændende", "Ok, godt at vide",
                    "Haha typisk", "Min mor har sådan en", "Vi ses!", "Hmm, måske", "Det minder mig om sidste år"],
        "complaint": ["Ikke helt tilfreds denne gang", "Det var lidt skuffende", "Ringe information på hjemmesiden",
                      "Det tog en evighed", "Det må I kunne gøre bedre", "Sidste gang var bedre", "Irriterende"],
        "thanks": ["Tak for hurtigt svar!", "Mange tak 🙏", "Super, tak", "Tak skal I have", "Perfekt, tak",
                   "Ah ok, tak"],
        "greet": ["Hej! ", "Hej, ", "Hejsa ", "Hallo ", "", "", "", "Godmorgen, "],
        "tail": ["", "", "", " Tak!", " På forhånd tak", " 🙏", " mvh"],
        "open": ["Hej {n}!", "Hej {n} 😊", "Hejsa {n}!", "Hej!", "Tak for dit spørgsmål, {n}."],
        "sign": [" /{a}", " Mvh {a}", " //{a}", " - {a}"],
        "peer_a": ["Jeg gjorde det i sidste uge, det virkede fint", "Ja, det gik fint for os", "Nej, aldrig prøvet",
                   "Spørg dem i butikken", "Min søster har, hun var glad"],
        "scam_react": ["Er I blevet hacket?", "Klik ikke på linket, det er svindel!", "Det her er ikke {brand}",
                       "Nogen har overtaget siden", "Anmeldt som spam", "Pas på alle sammen! Falsk opslag",
                       "Ring til {brand}, siden er hacket", "Hvad sker der her??"],
    },
    "nb": {
        "praise": ["Så bra!", "Herlig", "Dere er best ❤️", "Takk for god service i går", "Kult!", "Endelig!",
                   "Veldig fint", "Gleder meg", "Tommel opp 👍", "Hyggelige folk i butikken", "Godt jobba!",
                   "Digg", "Fantastisk", "Elsker det"],
        "chatter": ["@{peer} se her", "@{peer} skal vi?", "Så det på Dagsrevyen", "Spennende", "Ok, greit å vite",
                    "Haha typisk", "Hmm, får se", "Vi ses!", "Minner meg om i fjor", "Lurte på akkurat det"],
        "complaint": ["Ikke helt fornøyd denne gangen", "Litt skuffende", "Dårlig info på nettsiden",
                      "Tok evigheter", "Dette må dere få til bedre", "Det var bedre før", "Irriterende"],
        "thanks": ["Takk for raskt svar!", "Tusen takk 🙏", "Supert, takk", "Takk skal dere ha", "Perfekt, takk",
                   "Ah ok, takk"],
        "greet": ["Hei! ", "Hei, ", "Heisann ", "Hallo ", "", "", "", "God morgen, "],
        "tail": ["", "", "", " Takk!", " På forhånd takk", " 🙏", " mvh"],
        "open": ["Hei {n}!", "Hei {n} 😊", "Heisann {n}!", "Hei!", "Takk for spørsmålet, {n}."],
        "sign": [" /{a}", " Mvh {a}", " //{a}", " - {a}"],
        "peer_a": ["Jeg gjorde det forrige uke, gikk fint", "Ja, funka fint for oss", "Nei, aldri prøvd",
                   "Spør i butikken", "Søsteren min har, hun var fornøyd"],
        "scam_react": ["Er dere hacket?", "Ikke klikk på lenken, det er svindel!", "Dette er ikke {brand}",
                       "Noen har tatt over siden", "Rapportert som spam", "Pass på alle sammen! Falskt innlegg",
                       "Ring noen hos {brand}, siden er kapret", "Hva skjer her midt på natta??"],
    },
    "nn": {
        "praise": ["Så flott!", "Kjekt", "De er best ❤️", "Takk for god hjelp i går", "Tøft!", "Endeleg!",
                   "Veldig fint", "Gler meg", "Tommel opp 👍", "Godt jobba!", "Fantastisk", "Så kjekt å sjå"],
        "chatter": ["@{peer} sjå her", "@{peer} skal me?", "Såg det på NRK Vestland", "Spanande", "Ok, greitt å vite",
                    "Haha typisk", "Hmm, får sjå", "Me sest!", "Minner meg om i fjor", "Lurte på akkurat det"],
        "complaint": ["Ikkje heilt nøgd denne gongen", "Litt skuffande", "Dårleg info på nettsida",
                      "Tok evigheit", "Dette må de få til betre", "Det var betre før", "Irriterande"],
        "thanks": ["Takk for raskt svar!", "Tusen takk 🙏", "Supert, takk", "Takk skal de ha", "Perfekt, takk"],
        "greet": ["Hei! ", "Hei, ", "Heisann ", "Hallo ", "", "", "", "God morgon, "],
        "tail": ["", "", "", " Takk!", " På førehand takk", " 🙏", " helsing"],
        "open": ["Hei {n}!", "Hei {n} 😊", "Hei!", "Takk for spørsmålet, {n}."],
        "sign": [" /{a}", " Helsing {a}", " - {a}"],
        "peer_a": ["Eg gjorde det førre veke, gjekk fint", "Ja, det gjekk greitt for oss", "Nei, aldri prøvd",
                   "Spør på servicetorget"],
        "scam_react": ["Er de hacka?", "Ikkje trykk på lenka, det er svindel!", "Dette er ikkje {brand}",
                       "Nokon har teke over sida", "Rapportert som spam", "Ring nokon i {brand}, sida er kapra"],
    },
    "en": {
        "praise": ["Brilliant!", "Love this", "You lot are the best ❤️", "Great service yesterday, thank you", "Lovely!",
                   "Finally!", "Looks great", "Can't wait", "Thumbs up 👍", "Staff were so friendly", "Good stuff",
                   "Fair play to you", "Smashing", "This made my day"],
        "chatter": ["@{peer} look at this", "@{peer} fancy it?", "Saw this on the local news", "Interesting",
                    "Ok good to know", "Haha typical", "Hmm we'll see", "See you there!", "Reminds me of last year",
                    "Was wondering about that"],
        "complaint": ["Not impressed this time", "Bit disappointing tbh", "The info on your website is rubbish",
                      "Took ages", "You need to sort this out", "It used to be better", "Really annoying"],
        "thanks": ["Thanks for the quick reply!", "Cheers 🙏", "Great, thanks", "Thank you so much", "Perfect, ta",
                   "Ah ok, thanks"],
        "greet": ["Hi! ", "Hi, ", "Hello, ", "Hiya ", "", "", "", "Morning! "],
        "tail": ["", "", "", " Thanks!", " Thanks in advance", " 🙏", " Cheers"],
        "open": ["Hi {n}!", "Hi {n} 😊", "Hello {n},", "Hi there!", "Thanks for asking, {n}."],
        "sign": [" ^{a}", " - {a}", " /{a}", " Thanks, {a}"],
        "peer_a": ["I did that last week, worked fine", "Yes, worked fine for us", "No, never tried it",
                   "Ask in the shop", "My sister has, she was happy"],
        "scam_react": ["Have you been hacked?", "Don't click the link, it's a scam!", "This is not {brand}",
                       "Someone has taken over the page", "Reported as spam", "Careful everyone! Fake post",
                       "Somebody phone {brand}, the page has been hijacked", "What on earth is this??"],
    },
}
