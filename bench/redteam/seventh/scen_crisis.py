# -*- coding: utf-8 -*-
"""Crisis scenarios rt07-rt10 (rt08 also has a token expiry over the DST night)."""
import datetime as dt

from common import prof, loc, iso, crisis, incident, trap, poisson, Sim, TD
import texts as T


def rt07():
    p = prof(
        key="ostersofaergen", name="Østersøfærgen", short="Østersøfærgen", seed=7107, page_num="105530018822947",
        tz="Europe/Copenhagen", lang="da", staffed={"mon-sun": "07:00-21:00"}, holidays=None, sla="2h",
        start=dt.date(2025, 5, 5), days=40, pool=2200, visitor_langs=[("da", 0.82), ("sv", 0.1), ("en", 0.08)],
        posts_per_day={0: 2, 1: 2, 2: 2, 3: 2, 4: 2.5, 5: 1.5, 6: 1.5}, post_hours=[7, 8, 9, 10, 12, 14, 16, 18, 19],
        comments_per_post=30, dms_per_day=10, visitor_posts_per_day=0.4, react_ratio=(1.5, 2.5),
        apps=[("Sprout Social", 6), ("Meta Business Suite", 3), ("Facebook for iPhone", 1)],
        admins=["Rikke Sørensen", "Jonas Brandt", "Mette Kaae"], sig_names=["Rikke", "Jonas", "Mette", "Ali"], sig_fmt="/{s}",
        items={"da": ["pendlerkortet", "bilbilletten", "kahytten", "morgenafgangen", "cafeteriaen", "appen"],
               "sv": ["pendlarkortet", "bilbiljetten", "hytten"], "en": ["the commuter card", "the car ticket", "the cabin"]},
        places=["Rønne", "Ystad", "Køge", "Sassnitz"],
        qa=[("Sejler I efter planen i morgen trods blæsten?", "Lige nu sejler vi efter planen. Vi melder ud i appen, hvis det ændrer sig."),
            ("Kan man tage hund med på dækket?", "Ja, i snor på det udendørs dæk og i vores hundekahytter."),
            ("Hvornår skal man senest være ved check-in med bil?", "Senest 30 minutter før afgang."),
            ("Kan jeg ændre min billet til en senere afgang?", "Ja, i appen under Mine rejser, så længe der er plads."),
            ("Er der ladestandere til elbiler i Ystad?", "Ja, der er seks ladestandere ved check-in i Ystad.")],
        post_texts=["Sommerfartplanen starter 16. juni – se alle afgange i appen ⛴️", "Husk: check-in lukker 30 minutter før afgang.",
                    "Morgenstemning på ruten Rønne–Ystad i dag 🌅", "Nyt i cafeteriaen: smørrebrød fra lokale bagere.",
                    "Kristi himmelfartsdag: ekstra afgange Rønne–Ystad.", "Blæst i eftermiddag, hold øje med appen.",
                    "Tak til alle passagerer for tålmodigheden i pinsen.", "Vidste du, at du kan tage cyklen med gratis?",
                    "Vores nye kahytter er klar – book i appen.", "Grundlovsdag: vi sejler efter søndagsfartplan."],
        post_on_holidays=True,
    )
    s = Sim(p)
    s.ordinary()
    t0 = loc(s, "2025-06-02 07:30") + TD(seconds=4)
    pid = s.page_post(t0, "Vigtig information: Fra 1. juli lukker vi ruten Rønne–Sassnitz, og prisen på pendlerkort stiger med 18 %. Vi ved, at det rammer mange af jer, og vi forklarer baggrunden her: https://www.ostersofaergen.dk/nyheder/fartplan-2025",
                      app="Sprout Social", admin=p["admins"][0], ptype="link")
    texts = {
        "da": {"neg": ["18 %?! Det er jo helt vanvittigt", "I er ved at slå Bornholm ihjel", "Skammeligt. Vi pendlere har ikke noget valg",
                       "Hvordan kan I forsvare det her efter det overskud I havde sidste år", "Monopol i sin reneste form",
                       "Jeg betaler allerede over 3000 om måneden for at komme på arbejde", "Tak for ingenting",
                       "Lukker ruten til Sassnitz? Hvad med alle de tyske turister", "Nu må politikerne på banen, det her er ikke ok",
                       "Det er simpelthen grådighed", "Så flytter vi vel bare fra øen", "Elendig beslutning, og så lige før sommerferien",
                       "Jeg er så skuffet over jer", "Boykot! Vi tager flyet", "Hvem sidder og træffer de her beslutninger?! Pinligt",
                       "I burde skamme jer", "Har I overhovedet tænkt på familierne herovre", "Kæmpe svigt af øens beboere"],
               "other": ["Læs lige linket før I går amok", "Priserne stiger jo overalt, desværre", "Stakkels personale der skal svare på det her",
                         "@Mette Hansen så du det her?", "Det er trafikministeriets kontrakt, ikke kun rederiets skyld"]},
        "sv": {"neg": ["Helt sjukt, 18 procent!", "Vi som pendlar från Ystad får betala för er girighet", "Skamligt beslut",
                       "Detta slår hårt mot alla som jobbar på Bornholm"],
               "other": ["Läs länken först", "Tråkigt men kanske väntat"]},
        "en": {"neg": ["18% price hike, are you serious?", "Disgraceful decision for island residents", "Shame on you, greedy"],
               "other": ["Prices are going up everywhere unfortunately"]},
    }
    qa = {"da": [("Hvad sker der med mit pendlerkort, som er betalt til august?", "Kort, der allerede er betalt, gælder uændret til udløb."),
                 ("Gælder prisstigningen også for pensionister?", "Pensionistrabatten bevares, men grundprisen stiger også her."),
                 ("Hvornår går den sidste afgang til Sassnitz?", "Den sidste afgang er 30. juni kl. 16.15.")],
          "sv": [("Gäller höjningen även för enkelbiljetter från Ystad?", "Nej, höjningen gäller pendlarkort, enkelbiljetterna är oförändrade.")],
          "en": [("Will bookings already made to Sassnitz after 1 July be refunded?", "Yes, all bookings after 1 July are refunded automatically within 14 days.")]}
    first, last = crisis(s, pid, t0, [(20, 70, True), (60, 170, True), (120, 130, True), (120, 80, True), (120, 50, True),
                                      (150, 28, True), (240, 9, False), (600, 2, False)],
                         texts, [("da", 0.86), ("sv", 0.09), ("en", 0.05)], qa=qa, rpc=3.0, q_share=0.08)
    s.finalize()
    inc = [incident(s, "crisis_announcement", "crisis", t0 + TD(minutes=15), last, "warning", 1800, onset=t0)]
    return s, inc, [], ("Large Danish ferry operator, staffed every day 07-21, no holiday calendar. A Monday 07:30 announcement (route "
                       "closed, commuter card +18 %) starts a fast storm within minutes, mostly Danish with Swedish and English "
                       "voices, angry reactions; the team answers the real questions in the thread.")


def rt08():
    p = prof(
        key="fjellmeieriet", name="Fjellmeieriet", short="Fjellmeieriet", seed=7108, page_num="107724410093318",
        tz="Europe/Oslo", lang="no", staffed={"mon-fri": "08:00-16:00"}, holidays="NO", sla="8h",
        start=dt.date(2025, 2, 24), days=47, pool=800, visitor_langs=[("no", 0.95), ("en", 0.05)],
        posts_per_day={0: 1, 1: 0.8, 2: 1, 3: 0.8, 4: 0.8}, post_hours=[8, 9, 10, 11, 12, 13, 14],
        comments_per_post=18, dms_per_day=2.5, apps=[("Meta Business Suite", 7), ("Canva", 1)],
        admins=["Ingrid Bakken", "Torstein Aas"], sig_names=["Ingrid", "Torstein", "Mari"], sig_fmt="Hilsen {s}",
        items={"no": ["geitosten", "rømmen", "seterrømmekollen", "den nye yoghurten", "kulturmelka", "smøret"],
               "en": ["the brown cheese", "the sour cream", "the yoghurt"]},
        places=["Valdres", "Gudbrandsdalen", "Oslo", "Lillehammer", "Fagernes"],
        qa=[("Hvor kan jeg kjøpe seterrømmekollen i Oslo?", "Den finnes hos Meny og Joker i Oslo, se butikklisten på nettsiden vår."),
            ("Er geitosten laget av upasteurisert melk?", "Nei, all melk vi bruker er pasteurisert."),
            ("Tåler den nye yoghurten frysing?", "Den kan fryses, men konsistensen blir litt kornete."),
            ("Inneholder smøret salt?", "Ja, vi har både usaltet og lettsaltet smør."),
            ("Kan man besøke meieriet?", "Vi har omvisning på fredager i sommerhalvåret, påmelding på nettsiden.")],
        post_texts=["Nykjernet smør fra Valdres, rett i butikkhylla 🧈", "Vårslipp: seterrømmekolle med blåbær.",
                    "Visste du at melka vår kommer fra 40 gårder i dalen?", "Oppskrift: vafler med geitost og rømme.",
                    "God påskeforberedelse! Geitosten er på tilbud hos Meny.", "Møt bonden: Kari på Nordre Lien.",
                    "Ny kartong med mindre plast – bedre for kloden 🌍", "Vi har vunnet gull for geitosten i matkonkurransen!",
                    "Kulturmelk til frokost, slik gjorde bestemor.", "Vi søker sommervikarer til produksjonen i Fagernes."],
    )
    s = Sim(p)
    # token expiry over the spring-forward night: nothing is seen in between
    e0 = iso("2025-03-29T23:10:26+01:00")
    e1 = iso("2025-03-31T08:25:03+02:00")
    s.outages.append((e0, e1))
    s.ordinary()
    s.source_error(e0, 190, "Error validating access token: Session has expired on Saturday, 29-Mar-25 15:00:00 PDT. The current time is Saturday, 29-Mar-25 15:10:26 PDT.", None)
    s.source_recovered(e1)
    # the old post that the slow burn lands on
    old_t = loc(s, "2025-03-17 10:05") + TD(seconds=31)
    old = s.ordinary_post(old_t, "Vi er stolte av bøndene våre! 🐄 Hver dråpe melk kommer fra små gårder i Valdres og Gudbrandsdalen, og vi betaler dem en rettferdig pris.",
                          eng=1.3, app="Meta Business Suite", admin=p["admins"][0])
    texts = {"no": {"neg": ["«Rettferdig pris» ja... og så sier dere opp 40 småbruk. Hyklere", "Dette innlegget eldes ikke godt",
                            "Så dere kutter bøndene som har bygd hele merkevaren deres?", "Kjøper aldri geitost fra dere igjen",
                            "Skammelig behandling av bøndene i Valdres", "Les NRK-saken før dere liker dette innlegget",
                            "Hva er en «rettferdig pris» når dere bryter avtalen med tre måneders varsel?",
                            "Grådighet forkledd som lokalmat", "Min onkel er en av dem som mistet avtalen. Takk for ingenting",
                            "Sletter dere dette innlegget snart?", "Boikott til de snur", "Dere har mistet en trofast kunde",
                            "Småbrukene forsvinner og dere kaller det stolthet", "Pinlig. Rett og slett pinlig",
                            "Å bruke bøndene i reklame og så kaste dem ut. Fy faen"],
                     "other": ["Det er vel to sider av denne saken", "Vent på svar fra meieriet før dere dømmer",
                               "Trist for bøndene, men melkeprisene styres jo av staten", "@Kari Haugen har du sett dette?"]},
             "en": {"neg": ["Cutting 40 small farms and bragging about fair prices? Shameful"], "other": ["Sad news"]}}
    qa = {"no": [("Stemmer det at dere sier opp avtalen med 40 gårder?", "Vi kommer med en full redegjørelse i morgen tidlig. Vi forstår at mange reagerer."),
                 ("Hvor kommer melka fra etter sommeren da?", "Vi svarer grundig i morgen, vi beklager at det tar litt tid.")]}
    onset = loc(s, "2025-04-06 16:40") + TD(seconds=12)
    first, last = crisis(s, old, onset, [(60, 4, True), (60, 10, True), (60, 19, True), (60, 30, True), (60, 38, True),
                                         (60, 28, True), (60, 15, True), (60, 8, True), (480, 1.2, False), (180, 10, False),
                                         (300, 4, False)],
                         texts, [("no", 0.97), ("en", 0.03)], qa=qa, rpc=2.5, q_share=0.07)
    s.finalize()
    inc = [incident(s, "health_token_expired", "health", e0, e1, "warning", 900),
           incident(s, "crisis_old_post", "crisis", first + TD(minutes=90), last, "warning", 1800, onset=first)]
    return s, inc, s.dst_traps(None), ("Norwegian dairy, weekday-only staff. The page token expires on the Saturday evening before "
                                          "the spring DST change and the page is blind until Monday 08:25. A week later a slow "
                                          "Sunday-evening burn builds over hours on a three-week-old 'proud of our farmers' post "
                                          "after news that 40 farm contracts are cut.")


def rt09():
    p = prof(
        key="cafe_tant_gron", name="Café Tant Grön", short="Tant Grön", seed=7109, page_num="100882374410267",
        tz="Europe/Stockholm", lang="sv", staffed={"tue-sat": "10:00-16:00"}, holidays="SE", sla="24h",
        start=dt.date(2025, 8, 4), days=40, pool=120, visitor_langs=[("sv", 0.96), ("en", 0.04)],
        posts_per_day={1: 0.5, 2: 0.4, 3: 0.5, 4: 0.6, 5: 0.5}, post_hours=[9, 10, 11, 14],
        comments_per_post=5, dms_per_day=0.3, visitor_posts_per_day=0.04, react_ratio=(2.5, 4.0), mix={"question": 0.12},
        apps=[("Facebook for iPhone", 6), ("Instagram", 2)], admins=["Gunilla Ström"], sig_names=["Gunilla"], sig_fmt="/{s}",
        items={"sv": ["kardemummabullarna", "surdegsbrödet", "veganska lunchen", "morotskakan", "chaiteet"],
               "en": ["the cardamom buns", "the sourdough"]},
        places=["Svartbäcken", "caféet", "uteserveringen"],
        qa=[("Har ni glutenfritt fika?", "Ja, vi har alltid minst en glutenfri kaka, oftast kladdkaka."),
            ("Kan man boka bord till åtta personer på lördag?", "Vi tar tyvärr inte bokningar, men kom gärna före elva så brukar det lösa sig."),
            ("Säljer ni surdegsbröd att ta med?", "Ja, från tisdag till lördag så länge det räcker."),
            ("Har ni öppet på söndagar?", "Nej, söndag och måndag har vi stängt.")],
        post_texts=["Nybakade kardemummabullar idag ☕", "Veckans soppa: rostad tomat med basilika.",
                    "Uteserveringen är öppen så länge sommaren håller i sig 🌿", "Morotskakan är tillbaka!",
                    "Tack för en fin vecka, vi ses på tisdag.", "Surdegsbröd varje morgon från kl. 10.",
                    "Nytt på menyn: chai latte med havremjölk.", "Vi söker en extra hand i köket på lördagar."],
    )
    s = Sim(p)
    s.ordinary()
    t0 = loc(s, "2025-08-28 12:05") + TD(seconds=40)
    pid = s.page_post(t0, "Från 1 september tar vi tyvärr inte längre in barnvagnar i caféet. Lokalen är liten och vi har haft flera incidenter vid kassan. Det finns plats att parkera vagnen utanför entrén. Vi hoppas på förståelse 💚 /Gunilla",
                      app="Facebook for iPhone", admin=p["admins"][0], ptype="status")
    texts = {"sv": {"neg": ["Wow. Så föräldralediga är inte välkomna längre alltså", "Ska jag lämna min bebis utanför i regnet?",
                            "Sista gången jag fikar här", "Helt otroligt diskriminerande", "Har aldrig sett en barnvagn orsaka en incident",
                            "Vi var där varje onsdag med babycafé-gruppen. Nu får vi leta nytt ställe", "Det här kommer ni ångra",
                            "Skämmes! Barnfamiljer är era bästa kunder", "Trodde ni var ett familjevänligt ställe. Fel.",
                            "Vagnparkering utanför? Vem lämnar en sovande bebis på trottoaren", "Delar det här i alla mammagrupper i stan",
                            "Synd, ni hade världens bästa bullar", "Riktigt dåligt beslut", "Så barnfientligt 👎",
                            "Snacka om att skjuta sig själv i foten"],
                     "other": ["Förstår faktiskt beslutet, det var svårt att ta sig fram där inne", "Lugna ner er, det är ett litet café",
                               "Finns det inte en mellanväg, typ vagnfria tider?", "@Sara Lind såg du detta?"]},
            "en": {"neg": ["No prams? That's so unfriendly to parents"], "other": ["Tiny place, I get it"]}}
    qa = {"sv": [("Gäller det även syskonvagnar och rullatorer?", "Rullatorer och rullstolar är självklart välkomna, det gäller bara barnvagnar."),
                 ("Kan man ställa vagnen i förrådet istället?", "Tyvärr har vi inte plats i förrådet, men vi tittar på en lösning.")]}
    first, last = crisis(s, pid, t0, [(30, 22, True), (60, 34, True), (60, 24, True), (120, 14, True), (120, 7, True),
                                      (400, 1.5, False)],
                         texts, [("sv", 0.97), ("en", 0.03)], qa=qa, rpc=2.5, q_share=0.06)
    s.finalize()
    inc = [incident(s, "crisis_announcement", "crisis", t0 + TD(minutes=15), last, "warning", 1800, onset=t0)]
    return s, inc, [], ("Tiny café in Uppsala (a few comments a day, staffed tue-sat, 24 h SLA). A Thursday-noon post banning prams "
                       "brings ~100 angry comments in five hours: small in absolute numbers, enormous for this page.")


def rt10():
    p = prof(
        key="lykke_lind", name="Lykke & Lind", short="Lykke & Lind", seed=7110, page_num="108830055721904",
        tz="Europe/London", lang="en", staffed={"mon-fri": "09:00-18:00", "sat": "10:00-14:00"}, holidays="GB", sla="12h",
        start=dt.date(2025, 10, 13), days=54, pool=2500, visitor_langs=[("en", 0.93), ("sv", 0.07)],
        posts_per_day={0: 1.5, 1: 1.5, 2: 1.5, 3: 1.6, 4: 1.8, 5: 1.2, 6: 0.8}, post_hours=[8, 9, 11, 12, 13, 15, 17, 19],
        comments_per_post=24, dms_per_day=8, visitor_posts_per_day=0.3, react_ratio=(2.0, 3.5),
        apps=[("Sprinklr", 6), ("Meta Business Suite", 3)], admins=["Hannah Cole", "Jonas Lind", "Priya Nair"],
        sig_names=["Hannah", "Priya", "Dan"], sig_fmt="– {s} at L&L",
        items={"en": ["the wool coat", "the cashmere jumper", "the Stockholm boots", "the organic cotton tees", "the puffer"],
               "sv": ["ullkappan", "kashmirtröjan"]},
        places=["Covent Garden", "Manchester", "the Bristol store", "Leeds"],
        qa=[("Does the wool coat run small?", "It's true to size, but size up if you like to layer a thick knit underneath."),
            ("When does the Black Friday sale start online?", "It starts at 8am on Friday the 28th, online and in all stores."),
            ("Can I return online orders in store?", "Yes, any store within 30 days with the receipt email."),
            ("Is the cashmere ethically sourced?", "Yes, it's certified by the Good Cashmere Standard."),
            ("Are the Stockholm boots waterproof?", "They're water-resistant; we'd recommend the wax spray for heavy rain.")],
        post_texts=["Autumn is officially coat season 🍂", "New in: the cashmere jumper in oat and forest green.",
                    "Behind the design: our Stockholm boots.", "Pop-up in Leeds this weekend!", "Style tip: layer a knit under the puffer.",
                    "We're hiring in Manchester – link in bio.", "Our organic tees, now in eight colours.",
                    "Thank you for 100k followers 💛", "Care guide: how to de-pill your knitwear.", "Weekend mood: long walks and warm coats."],
    )
    s = Sim(p)
    s.ordinary()
    # Black Friday: the busiest day of the year, fully announced
    bf = loc(s, "2025-11-28 08:00")
    bfp = s.ordinary_post(bf, "BLACK FRIDAY IS HERE 🖤 Up to 40% off everything, online and in store, until midnight Monday.",
                          eng=1.0, app="Sprinklr", admin=p["admins"][0])
    def bf_text(v):
        r = s.rng
        if v["lang"] != "en":
            return s.visitor_text(v)
        x = r.random()
        if x < 0.14:
            q, a = r.choice(p["qa"])
            return "question", q, a
        return "praise", r.choice(["Basket full already 😅", "Got the coat!! finally", "Site is flying today, well done",
                                    "Been waiting all year for this", "Bought three jumpers, no regrets", "@Lucy Shaw QUICK",
                                    "The cashmere at 40% off is a steal", "Queue in Covent Garden is mad but worth it",
                                    "Love that you don't do fake discounts", "Ordered at 8:01 🙌"]), None
    s.visitors_on_post(bfp, bf, 650, 1400, scale_h=4.0, text_fn=bf_text)
    t0 = loc(s, "2025-11-14 18:40") + TD(seconds=3)
    pid = s.page_post(t0, "Skint after payday? 😉 Our 'Broke but Chic' edit proves you don't need the heating on when you've got a £120 jumper. #CostOfLivingGoals",
                      app="Sprinklr", admin=p["admins"][2], ptype="photo")
    texts = {"en": {"neg": ["Are you actually joking? People are choosing between heating and eating", "Tone deaf doesn't even begin to cover it",
                            "Who signed this off?", "Unfollowed. Disgusting post", "A £120 jumper as a solution to fuel poverty. Wow",
                            "My nan died in a cold flat two winters ago. This isn't funny", "Delete this immediately",
                            "Never shopping with you again", "Mocking poor people to sell knitwear, classy",
                            "This is the most out of touch thing I've read all year", "Screenshot taken before you delete it",
                            "Shameful marketing", "Your social media team needs a serious talking to", "Vile.",
                            "Imagine thinking this was a good idea", "Returning my order tomorrow", "#BoycottLykke",
                            "Genuinely upset reading this"],
                    "other": ["It's obviously a joke, people need to calm down", "Bad taste but the outrage is a bit much",
                              "@Emma Ward have you seen this", "Can't believe this got posted", "Tagging the BBC, they'll love this"]},
             "sv": {"neg": ["Otroligt smaklöst", "Skäms, det här är inte okej"], "other": ["Jösses"]}}
    qa = {"en": [("Is anyone from Lykke & Lind going to respond to this?", "We're so sorry. We've taken this seriously and will share a full response."),
                 ("Will you donate to a fuel poverty charity after this?", "We hear you. We'll be sharing what we're doing about it.")]}
    first, last = crisis(s, pid, t0, [(20, 60, True), (60, 190, True), (120, 150, True), (120, 85, True), (120, 45, True),
                                      (420, 6, False), (180, 25, False), (240, 10, False)],
                         texts, [("en", 0.96), ("sv", 0.04)], qa=qa, rpc=4.0, q_share=0.04,
                         react_mix=[("angry", 60), ("haha", 12), ("sad", 8), ("like", 15), ("wow", 5)])
    s.post_delete(loc(s, "2025-11-15 10:02") + TD(seconds=10), pid)
    s.page_post(loc(s, "2025-11-15 10:05") + TD(seconds=40), "Last night we posted something thoughtless and hurtful about the cost of living. We've removed it and we are sorry. We're donating £20,000 to National Energy Action and reviewing how our posts are approved.",
                app="Meta Business Suite", admin=p["admins"][1], ptype="status")
    s.finalize()
    inc = [incident(s, "crisis_announcement", "crisis", t0 + TD(minutes=15), last, "warning", 1800, onset=t0)]
    traps = s.dst_traps(None) + [trap(s, "black_friday_spike", bf, loc(s, "2025-11-28 23:59"), "info", ["crisis"])]
    return s, inc, traps, ("Large London fashion brand. A tone-deaf cost-of-living joke posted Friday 18:40, after the team's hours, "
                          "gets a fast English storm through the evening. Two weeks later Black Friday brings a bigger but "
                          "happy flood that must stay quiet.")


BUILDERS = [("rt07-ostersofaergen-fast-storm", rt07), ("rt08-fjellmeieriet-token-dst-slow-burn", rt08),
            ("rt09-tantgron-tiny-page-storm", rt09), ("rt10-lykkelind-evening-storm-blackfriday", rt10)]
