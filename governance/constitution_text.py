"""The default constitution's text, in English and Kiswahili, filled from its rules.

A chama starts from it (GET constitution/ before any version is adopted) and a version adopted
without text of its own takes it. The structured rules, not this text, are what Hazina acts on.
"""

from governance.choices import Language
from governance.constitution_rules import Rules
from groups.choices import CycleFrequency, MeetingRuleKind, Weekday
from groups.schedules import LAST, MeetingSchedule

SW_WEEKDAYS = {
    Weekday.MONDAY: "Jumatatu",
    Weekday.TUESDAY: "Jumanne",
    Weekday.WEDNESDAY: "Jumatano",
    Weekday.THURSDAY: "Alhamisi",
    Weekday.FRIDAY: "Ijumaa",
    Weekday.SATURDAY: "Jumamosi",
    Weekday.SUNDAY: "Jumapili",
}
SW_ORDINALS = {1: "ya kwanza", 2: "ya pili", 3: "ya tatu", 4: "ya nne", LAST: "ya mwisho"}
SW_FREQUENCIES = {
    CycleFrequency.WEEKLY: "kila wiki",
    CycleFrequency.BIWEEKLY: "kila wiki mbili",
    CycleFrequency.MONTHLY: "kila mwezi",
    CycleFrequency.QUARTERLY: "kila miezi mitatu",
}


def schedule_words(schedule: MeetingSchedule | None, language: str) -> str:
    if language != Language.KISWAHILI:
        return schedule.text if schedule else "as the members agree"
    if schedule is None:
        return "kama wanachama watakavyokubaliana"
    if schedule.kind == MeetingRuleKind.MONTHLY_DAY:
        return f"tarehe {schedule.day_of_month} ya kila mwezi"
    day = SW_WEEKDAYS[Weekday(schedule.weekday or "")]
    if schedule.kind == MeetingRuleKind.WEEKLY:
        return f"kila {day}"
    return f"{day} {SW_ORDINALS[schedule.ordinal or LAST]} ya kila mwezi"


def _percent(share: object) -> str:
    return f"{float(str(share)) * 100:g}%"


ENGLISH = """Constitution of {name}

1. Contributions. Each member contributes {currency} {amount} {frequency}: {rotation} to the
   merry-go-round pot, {savings} to their savings and {welfare} to the welfare fund. A
   contribution is due on the meeting day and late {grace} days after it.
2. Meetings. The chama meets: {schedule}.
3. Loans. Loans are at {rate} interest a {rate_period} ({method}), for at most {term} months
   and {multiple} times the member's savings, with {guarantors} guarantor(s).
4. Decisions. A vote needs {quorum} of the members; a dispute vote needs {dispute_quorum}.
5. Approvals. Every expense, payout, loan, welfare claim and transfer is approved by officials
   other than the one who made it, as the rules of this constitution set out.
"""

KISWAHILI = """Katiba ya {name}

1. Michango. Kila mwanachama anachangia {currency} {amount} {frequency}: {rotation} kwa mzunguko,
   {savings} kwa akiba yake na {welfare} kwa mfuko wa ustawi. Mchango unadaiwa siku ya mkutano
   na unachelewa siku {grace} baadaye.
2. Mikutano. Chama kinakutana: {schedule}.
3. Mikopo. Mikopo ina riba ya {rate} kwa {rate_period} ({method}), kwa muda usiozidi miezi
   {term} na mara {multiple} ya akiba ya mwanachama, na wadhamini {guarantors}.
4. Maamuzi. Kura inahitaji {quorum} ya wanachama; kura ya mzozo inahitaji {dispute_quorum}.
5. Idhini. Kila gharama, malipo, mkopo, dai la ustawi na uhamisho unaidhinishwa na viongozi
   wasiokuwa walioutayarisha, kama kanuni za katiba hii zinavyoeleza.
"""


def constitution_text(*, rules: Rules, language: str, chama_name: str, currency: str) -> str:
    c, loans = rules.contribution, rules.loans
    kiswahili = language == Language.KISWAHILI
    return (KISWAHILI if kiswahili else ENGLISH).format(
        name=chama_name,
        currency=currency,
        amount=f"{c.amount:,.2f}",
        rotation=f"{c.rotation_amount:,.2f}",
        savings=f"{c.savings_amount:,.2f}",
        welfare=f"{c.welfare_amount:,.2f}",
        frequency=SW_FREQUENCIES[c.frequency] if kiswahili else c.frequency.label.lower(),
        grace=c.grace_days,
        schedule=schedule_words(rules.meetings.schedule, language),
        rate=_percent(loans.interest_rate),
        rate_period=("mwezi" if loans.interest_rate_period == "month" else "mwaka")
        if kiswahili
        else loans.interest_rate_period,
        method=loans.interest_method.label,
        term=loans.max_term_months,
        multiple=loans.max_savings_multiple,
        guarantors=loans.guarantors_required,
        quorum=_percent(rules.voting.quorum),
        dispute_quorum=_percent(rules.voting.dispute_quorum),
    )
