"""Phrase banks for the rt5 generator (written for this red team; sv/da/no/en)."""

FIRST = {
 "sv": "Anna Erik Maria Lars Karin Johan Sara Per Emma Anders Lena Mikael Elin Fredrik Ida Oskar Maja Jonas Hanna Niklas Linnea Mats Sofia Peter Frida Olle Tove Gustav Ebba Stefan Agnes Henrik Alva Viktor Malin Kristoffer Jenny Axel Camilla Ali Amira Dragan".split(),
 "da": "Mette Søren Hanne Jens Lone Mads Camilla Rasmus Pernille Anders Trine Morten Louise Kasper Maja Jesper Sofie Mikkel Ida Henrik Line Nikolaj Birgitte Thomas Signe Frederik Karina Lars Emma Christian Nanna Jonas Anne Martin Julie Ahmed Fatima".split(),
 "no": "Kari Ola Ingrid Lars Silje Håkon Marte Eirik Nina Thomas Hilde Jon Ragnhild Magnus Tone Sindre Ida Espen Marianne Anders Kristin Øyvind Solveig Petter Hanne Torbjørn Linn Bjørn Camilla Vegard Maren Geir Line Stian Amina Ali".split(),
 "en": "James Emma Oliver Sophie Harry Charlotte Jack Amelia George Olivia Thomas Emily William Grace Daniel Lucy Samuel Hannah Joseph Chloe Ryan Megan Liam Priya Mohammed Aisha Callum Niamh Rhys Ellie Owen Zara Tom Rachel".split(),
}
LAST = {
 "sv": "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindqvist Berg Sjöberg Holm Nyström Lundgren Ekström Mohammadi Hedlund Åberg Söderlund".split(),
 "da": "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen Poulsen Johansen Mortensen Møller Knudsen Østergaard Kjær Lund Holm".split(),
 "no": "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Dahl Bakken Lie Solberg Strand Moen Halvorsen Lunde Aasen Nygård".split(),
 "en": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Hughes Edwards Murphy Kelly".split(),
}
SCAM_NAMES = ["Kevin Brandt", "Meta Support Team", "Jessica Lowell", "Tran Van Minh", "Nguyen Thi Lan", "Marcus Wyatt", "Page Protect Center", "David Orlov", "Alina Petrova", "Rahul Verma"]

T = {}
T["sv"] = dict(
 post=["Nu finns {product} i alla våra butiker. Kom in och titta!", "Veckans tips: {product}. Vad tycker ni?", "Vi har öppet som vanligt i helgen. Välkomna in!",
       "Nytt i sortimentet: {product}. Läs mer på vår hemsida.", "Tack för en fantastisk vecka, alla ni som besökte oss i {place}!", "Visste du att du kan beställa {product} direkt i appen?",
       "God morgon! Idag bjuder vi på kaffe i {place} mellan 10 och 12.", "Hösten är här – dags för {product}.", "Vi söker nya medarbetare till {place}. Sök senast fredag!", "Påminnelse: ändrade öppettider i {place} nästa vecka."],
 pos=["Vad bra!", "Toppen, tack!", "Älskar {product} ❤️", "Ser fram emot det!", "Super, det ska jag testa.", "Bästa butiken i {place}!", "Trevlig personal senast jag var där.", "Så fint!", "Jättebra initiativ.", "Äntligen!", "Härligt 😊", "Gillar verkligen det här", "Ni är bäst!"],
 neu=["Intressant.", "Samma som förra året tror jag.", "Jag brukar handla i {place}.", "Har testat, helt okej.", "Kommer förbi någon gång.", "Taggar min syster här.", "Mamma borde se det här."],
 q=["Finns {product} i {place}?", "Hur länge har ni öppet i {place} på lördag?", "Kan man beställa {product} och hämta i butik?", "Hej! Går det att byta en vara utan kvitto?", "När kommer {product} tillbaka i lager?",
    "Gäller erbjudandet även på nätet?", "Kan ni skicka till {place}? Tack på förhand!", "Hej, vad kostar frakten till {place}?", "Ursäkta, har ni {product} i större storlek?", "Har ni parkering vid butiken i {place}?"],
 compl=["Lite trist att {product} var slut igen.", "Lång kö i kassan i {place} idag.", "Hade uppskattat bättre skyltning.", "Priset har gått upp märkbart.", "Sämre än förra gången tyvärr."],
 emoji=["👍", "😍", "❤️", "👏", "🙌", "😊"],
 thanks=["Tack för svaret!", "Toppen, tack!", "Perfekt, tack så mycket.", "Tack för snabbt svar!"],
 ans=["Hej {name}! Ja, det går bra. Hör av dig om du undrar något mer. /{sig}", "Hej {name}! Tack för frågan – vi har skickat information till dig i ett privat meddelande. /{sig}", "Hej {name}! Det stämmer, mer info finns på vår hemsida. Mvh {sig}",
      "Hej {name}! Vi kollar upp det och återkommer. Mvh {sig}", "Hej {name}! Ja, den finns i lager igen från nästa vecka. /{sig}"],
 msg_q=["Hej! Min order {order} har inte kommit. Kan ni kolla?", "Hej, jag vill ändra leveransadress på order {order}.", "Kan jag få ett kvitto på mitt köp igen? Ordernummer {order}.", "Hej! Jag har fått fel vara i min beställning {order}, vad gör jag?", "Hur gör jag för att avboka min beställning {order}?"],
 msg_ans=["Hej {name}! Vi har kollat order {order} och ordnat det. Mvh {sig}", "Hej {name}! Tack för att du hörde av dig. Det är fixat nu. /{sig}", "Hej {name}! Vi har skickat det till din mejl. Mvh {sig}"],
 msg_thanks=["Tusen tack!", "Tack för hjälpen!", "Perfekt, tack."],
 preply=["Håller med!", "Samma här.", "Precis vad jag tänkte.", "Haha, sant.", "Instämmer helt."],
 spam=["Tjäna 5000 kr om dagen hemifrån, kolla min profil!", "Grattis, du har vunnit! Klicka här: {link}"],
 mans=["Varsågod! Ha en fin dag.", "Vad bra, hör av dig om det är något mer!"],
)
T["da"] = dict(
 post=["Nu kan du finde {product} i alle vores butikker. Kig forbi!", "Ugens tip: {product}. Hvad synes I?", "Vi har åbent som normalt i weekenden. Velkommen!",
       "Nyhed: {product}. Læs mere på vores hjemmeside.", "Tak for en skøn uge til alle jer, der besøgte os i {place}!", "Vidste du, at du kan bestille {product} direkte i appen?",
       "Godmorgen! I dag giver vi kaffe i {place} mellem 10 og 12.", "Efteråret er her – tid til {product}.", "Vi søger nye kolleger i {place}. Søg senest fredag!", "Husk: ændrede åbningstider i {place} i næste uge."],
 pos=["Hvor fedt!", "Super, tak!", "Elsker {product} ❤️", "Glæder mig!", "Det må jeg prøve.", "Bedste butik i {place}!", "Søde medarbejdere sidst jeg var der.", "Hvor flot!", "Godt initiativ.", "Endelig!", "Dejligt 😊", "Kan virkelig godt lide det her", "I er de bedste!"],
 neu=["Interessant.", "Det var vist det samme sidste år.", "Jeg handler tit i {place}.", "Har prøvet det, helt fint.", "Kigger forbi en dag.", "Tagger lige min søster.", "Min mor burde se det her."],
 q=["Har I {product} i {place}?", "Hvor længe har I åbent i {place} på lørdag?", "Kan man bestille {product} og hente i butikken?", "Hej! Kan man bytte en vare uden kvittering?", "Hvornår er {product} på lager igen?",
    "Gælder tilbuddet også online?", "Kan I sende til {place}? På forhånd tak!", "Hej, hvad koster fragten til {place}?", "Undskyld, har I {product} i en større størrelse?", "Er der parkering ved butikken i {place}?"],
 compl=["Lidt ærgerligt at {product} var udsolgt igen.", "Lang kø ved kassen i {place} i dag.", "Havde sat pris på bedre skiltning.", "Prisen er steget en del.", "Dårligere end sidst desværre."],
 emoji=["👍", "😍", "❤️", "👏", "🙌", "😊"],
 thanks=["Tak for svaret!", "Super, tak!", "Perfekt, mange tak.", "Tak for hurtigt svar!"],
 ans=["Hej {name}! Ja, det kan sagtens lade sig gøre. Skriv endelig, hvis du har flere spørgsmål. /{sig}", "Hej {name}! Tak for spørgsmålet – vi har sendt dig en besked med info. /{sig}", "Hej {name}! Det er korrekt, du kan læse mere på vores hjemmeside. Mvh {sig}",
      "Hej {name}! Vi undersøger det og vender tilbage. Mvh {sig}", "Hej {name}! Ja, den er på lager igen fra næste uge. /{sig}"],
 msg_q=["Hej! Min ordre {order} er ikke kommet. Kan I tjekke det?", "Hej, jeg vil gerne ændre leveringsadressen på ordre {order}.", "Kan jeg få min kvittering igen? Ordrenummer {order}.", "Hej! Jeg har fået en forkert vare i ordre {order}, hvad gør jeg?", "Hvordan annullerer jeg min ordre {order}?"],
 msg_ans=["Hej {name}! Vi har tjekket ordre {order} og ordnet det. Mvh {sig}", "Hej {name}! Tak fordi du skrev. Det er klaret nu. /{sig}", "Hej {name}! Vi har sendt det til din mail. Mvh {sig}"],
 msg_thanks=["Tusind tak!", "Tak for hjælpen!", "Perfekt, tak."],
 preply=["Enig!", "Samme her.", "Præcis hvad jeg tænkte.", "Haha, sandt.", "Helt enig."],
 spam=["Tjen 3000 kr om dagen hjemmefra, tjek min profil!", "Tillykke, du har vundet! Klik her: {link}"],
 mans=["Selv tak! Hav en god dag.", "Godt at høre, skriv endelig hvis der er mere!"],
)
T["no"] = dict(
 post=["Nå finner du {product} i alle butikkene våre. Stikk innom!", "Ukens tips: {product}. Hva synes dere?", "Vi har åpent som vanlig i helgen. Velkommen!",
       "Nyhet: {product}. Les mer på nettsiden vår.", "Takk for en flott uke til alle som besøkte oss i {place}!", "Visste du at du kan bestille {product} rett i appen?",
       "God morgen! I dag spanderer vi kaffe i {place} mellom 10 og 12.", "Høsten er her – på tide med {product}.", "Vi søker nye kolleger i {place}. Søk innen fredag!", "Påminnelse: endrede åpningstider i {place} neste uke."],
 pos=["Så bra!", "Topp, takk!", "Elsker {product} ❤️", "Gleder meg!", "Det må jeg teste.", "Beste butikken i {place}!", "Hyggelige ansatte sist jeg var der.", "Så fint!", "Flott tiltak.", "Endelig!", "Herlig 😊", "Liker dette veldig godt", "Dere er best!"],
 neu=["Interessant.", "Tror det var likt i fjor også.", "Jeg handler ofte i {place}.", "Har testet, helt greit.", "Tar en tur innom en dag.", "Tagger søsteren min her.", "Mamma burde se dette."],
 q=["Har dere {product} i {place}?", "Hvor lenge har dere åpent i {place} på lørdag?", "Kan man bestille {product} og hente i butikk?", "Hei! Kan man bytte en vare uten kvittering?", "Når kommer {product} tilbake på lager?",
    "Gjelder tilbudet også på nett?", "Kan dere sende til {place}? Takk på forhånd!", "Hei, hva koster frakten til {place}?", "Unnskyld, har dere {product} i større størrelse?", "Er det parkering ved butikken i {place}?"],
 compl=["Litt kjipt at {product} var utsolgt igjen.", "Lang kø i kassa i {place} i dag.", "Hadde satt pris på bedre skilting.", "Prisen har gått merkbart opp.", "Dårligere enn sist dessverre."],
 emoji=["👍", "😍", "❤️", "👏", "🙌", "😊"],
 thanks=["Takk for svar!", "Topp, takk!", "Perfekt, tusen takk.", "Takk for raskt svar!"],
 ans=["Hei {name}! Ja, det går fint. Si ifra om du lurer på noe mer. /{sig}", "Hei {name}! Takk for spørsmålet – vi har sendt deg info i en privat melding. /{sig}", "Hei {name}! Det stemmer, mer info finner du på nettsiden vår. Mvh {sig}",
      "Hei {name}! Vi sjekker det og kommer tilbake til deg. Mvh {sig}", "Hei {name}! Ja, den er på lager igjen fra neste uke. /{sig}"],
 msg_q=["Hei! Ordren min {order} har ikke kommet. Kan dere sjekke?", "Hei, jeg vil endre leveringsadresse på ordre {order}.", "Kan jeg få kvitteringen min på nytt? Ordrenummer {order}.", "Hei! Jeg har fått feil vare i ordre {order}, hva gjør jeg?", "Hvordan avbestiller jeg ordre {order}?"],
 msg_ans=["Hei {name}! Vi har sjekket ordre {order} og ordnet det. Mvh {sig}", "Hei {name}! Takk for at du tok kontakt. Det er fikset nå. /{sig}", "Hei {name}! Vi har sendt det på e-post. Mvh {sig}"],
 msg_thanks=["Tusen takk!", "Takk for hjelpen!", "Perfekt, takk."],
 preply=["Enig!", "Samme her.", "Akkurat det jeg tenkte.", "Haha, sant.", "Helt enig."],
 spam=["Tjen 4000 kr om dagen hjemmefra, sjekk profilen min!", "Gratulerer, du har vunnet! Klikk her: {link}"],
 mans=["Bare hyggelig! Ha en fin dag.", "Så bra, bare si ifra om det er noe mer!"],
)
T["en"] = dict(
 post=["{product} is now in all our shops. Pop in and have a look!", "Tip of the week: {product}. What do you think?", "We're open as usual this weekend. See you there!",
       "New in: {product}. Find out more on our website.", "Thanks for a brilliant week to everyone who visited us in {place}!", "Did you know you can order {product} straight from the app?",
       "Morning all! Free coffee in {place} between 10 and 12 today.", "Autumn is here – time for {product}.", "We're hiring in {place}. Applications close Friday!", "Reminder: changed opening hours in {place} next week."],
 pos=["Brilliant!", "Lovely, thanks!", "Love {product} ❤️", "Can't wait!", "Will definitely try that.", "Best shop in {place}!", "Really friendly staff last time I was in.", "So nice!", "Great idea.", "Finally!", "Fab 😊", "Really like this", "You lot are the best!"],
 neu=["Interesting.", "Pretty sure it was the same last year.", "I usually go to the {place} one.", "Tried it, it's alright.", "Might pop by at some point.", "Tagging my sister here.", "Mum should see this."],
 q=["Do you have {product} in {place}?", "How late are you open in {place} on Saturday?", "Can I order {product} and collect in store?", "Hi! Can I exchange something without a receipt?", "When is {product} back in stock?",
    "Does the offer apply online as well?", "Do you deliver to {place}? Thanks in advance!", "Hi, how much is delivery to {place}?", "Sorry, do you have {product} in a bigger size?", "Is there parking at the {place} shop?"],
 compl=["Bit of a shame {product} was sold out again.", "Massive queue at the till in {place} today.", "Signage could be better.", "The price has gone up quite a bit.", "Not as good as last time unfortunately."],
 emoji=["👍", "😍", "❤️", "👏", "🙌", "😊"],
 thanks=["Thanks for the reply!", "Great, thank you!", "Perfect, thanks so much.", "Thanks for the quick answer!"],
 ans=["Hi {name}! Yes, that's fine. Give us a shout if there's anything else. ^{sig}", "Hi {name}! Thanks for asking – we've sent you the details in a private message. ^{sig}", "Hi {name}! That's right, there's more info on our website. ^{sig}",
      "Hi {name}! We'll look into it and get back to you. ^{sig}", "Hi {name}! Yes, it's back in stock from next week. ^{sig}"],
 msg_q=["Hi, my order {order} hasn't arrived. Could you check?", "Hello, I'd like to change the delivery address on order {order}.", "Can I get my receipt again? Order number {order}.", "Hi! I got the wrong item in order {order}, what should I do?", "How do I cancel my order {order}?"],
 msg_ans=["Hi {name}! We've checked order {order} and sorted it. ^{sig}", "Hi {name}! Thanks for getting in touch. All sorted now. ^{sig}", "Hi {name}! We've sent it to your email. ^{sig}"],
 msg_thanks=["Thanks a lot!", "Thanks for your help!", "Perfect, cheers."],
 preply=["Agreed!", "Same here.", "Exactly what I thought.", "Haha, true.", "Couldn't agree more."],
 spam=["Earn £300 a day from home, check my profile!", "Congratulations, you've won! Click here: {link}"],
 mans=["You're welcome! Have a lovely day.", "Great, just let us know if there's anything else!"],
)

SCAM_POSTS = [
 ("Your page has been flagged for violating our Community Standards. Verify your account within 24 hours to avoid deletion: {link}", "link"),
 ("🎁 GIVEAWAY! The first 500 people to register get a free iPhone 16. Claim yours: {link}", "link"),
 ("Double your Bitcoin in 24h with our official partner. Limited slots! {link}", "link"),
 ("Closing down sale! Everything 90% off today only. Order here: {link}", "photo"),
 ("Congratulations to all our followers! You have been selected for a $1000 gift card. {link}", "link"),
 ("Live now: exclusive crypto airdrop for loyal customers 👉 {link}", "video"),
]
SCAM_DOMAINS = ["meta-support-appeal.help", "verify-pages-center.com", "btc-x2-official.live", "free-gift-claim.shop", "page-protect-review.net", "giftcard-winner.xyz", "crypto-airdrop-eu.top"]
