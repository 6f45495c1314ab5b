// Due dates are calendar dates (Postgres `date`), compared as "YYYY-MM-DD" strings.
// Pure: used by the forms in the browser and by the operations on the server.

/**
 * Today's date in the earliest time zone on Earth (UTC−12, "anywhere on Earth"). A due date
 * before this is in the past for everyone, so the browser's check (in the officer's zone) and
 * the server's (in UTC) never disagree: an officer in California at 20:00 may still pick today.
 */
export function earliestToday(now: Date = new Date()): string {
  return new Date(now.getTime() - 12 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** Today's date in UTC: what "overdue" is measured against (due on D: overdue from D+1, UTC). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A due date is only a deadline while the provider still owes a reply. */
export function isOverdue(dueOn: string | null, status: string, now: Date = new Date()): boolean {
  return dueOn !== null && status === "OPEN" && dueOn < todayUtc(now);
}

/** "2026-12-01" ⇄ the Date Prisma reads and writes for a `date` column (midnight UTC). */
export function dateToDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
export function dayToDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}
