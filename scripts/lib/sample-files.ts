import { deflateSync, crc32 } from "node:zlib";
import PDFDocument from "pdfkit";

// The evidence files of the sample audit (scripts/evidence-sample.ts), made in code so that the
// sample needs nothing from outside the repository: an ISO/IEC 27001 certificate and a data
// processing agreement as PDFs, a network diagram as a PNG, and a restore-test log as CSV. All of
// them say that they are samples: the organisations are fictional.

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Renders a small PDF with pdfkit's built-in Helvetica (not embedded: a few KiB). */
function pdf(draw: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ ...options, compress: true });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    draw(doc);
    doc.end();
  });
}

export interface TSampleCertificate {
  issuer: string;
  scope: string;
  number: string;
  issuedOn: string;
  expiresOn: string;
}

/** The provider's ISO/IEC 27001 certificate: issued six months ago, valid for three years. */
export function sampleCertificateFacts(today: Date): TSampleCertificate {
  const issued = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 6, 15));
  const expires = new Date(Date.UTC(issued.getUTCFullYear() + 3, issued.getUTCMonth(), 14));
  return {
    issuer: "Nordic Certification AB (fictional certification body)",
    scope:
      "The information security management system for the provision of infrastructure as a service (compute, block and object " +
      "storage, networking, managed Kubernetes) from the data centres Stockholm-Kista, Stockholm-Järfälla and Göteborg, in " +
      "accordance with the Statement of Applicability version 4.2",
    number: `NCB-ISMS-${issued.getUTCFullYear()}-0417`,
    issuedOn: day(issued),
    expiresOn: day(expires),
  };
}

export function sampleCertificatePdf(facts: TSampleCertificate): Promise<Buffer> {
  return pdf(
    (doc) => {
      const { width, height } = doc.page;
      doc.lineWidth(3).strokeColor("#1f3a5f").rect(24, 24, width - 48, height - 48).stroke();
      doc.lineWidth(1).rect(32, 32, width - 64, height - 64).stroke();
      doc.fillColor("#1f3a5f").font("Helvetica-Bold").fontSize(30).text("CERTIFICATE", 0, 70, { align: "center", width });
      doc.font("Helvetica").fontSize(12).fillColor("#333333").text(facts.issuer, 0, 110, { align: "center", width });
      doc.moveDown(1.5).fontSize(13).text("hereby certifies that the organisation", { align: "center", width });
      doc.moveDown(0.5).font("Helvetica-Bold").fontSize(22).fillColor("#000000").text("Nordlys Cloud AB (sample)", { align: "center", width });
      doc.font("Helvetica").fontSize(12).fillColor("#333333").text("Sveavägen 1, 111 57 Stockholm, Sweden", { align: "center", width });
      doc.moveDown(1).fontSize(13).text("operates an information security management system that conforms to", { align: "center", width });
      doc.moveDown(0.4).font("Helvetica-Bold").fontSize(18).fillColor("#1f3a5f").text("ISO/IEC 27001:2022", { align: "center", width });
      doc.moveDown(1).font("Helvetica-Bold").fontSize(11).fillColor("#000000").text("Scope", 90, doc.y, { width: width - 180 });
      doc.font("Helvetica").fontSize(11).fillColor("#333333").text(facts.scope, { width: width - 180, align: "justify" });
      doc.moveDown(1);
      const y = doc.y;
      const cell = (x: number, label: string, value: string) => {
        doc.font("Helvetica-Bold").fontSize(10).fillColor("#000000").text(label, x, y, { width: 200 });
        doc.font("Helvetica").fontSize(11).fillColor("#333333").text(value, x, y + 14, { width: 200 });
      };
      cell(90, "Certificate number", facts.number);
      cell(310, "Issued", facts.issuedOn);
      cell(530, "Valid until", facts.expiresOn);
      doc.font("Helvetica-Oblique").fontSize(9).fillColor("#aa0000").text("SAMPLE made by Assay's evidence:sample script. Not a real certificate; both organisations are fictional.", 0, height - 70, { align: "center", width });
    },
    { size: "A4", layout: "landscape", margin: 40, info: { Title: `ISO/IEC 27001 certificate ${facts.number} (sample)`, Author: facts.issuer } },
  );
}

/** The data processing agreement: parties, sub-processors, breach notification, audits. */
export function sampleDpaPdf(today: Date): Promise<Buffer> {
  const sections: [string, string][] = [
    ["1. Subject matter", "Nordlys Cloud AB (the Processor) processes personal data on behalf of the Customer (the Controller) to provide the infrastructure services ordered under the Master Services Agreement: virtual machines, block and object storage, networking and managed Kubernetes. The Processor does not access customer workloads except to provide support requested by the Controller or where required by law."],
    ["2. Categories of data and data subjects", "The Controller decides what personal data it stores on the services. The Processor processes account and contact data of the Controller's administrators, and operational logs (IP addresses, API calls) for security and billing."],
    ["3. Location of processing", "All customer data is stored and processed in the Processor's data centres in Stockholm-Kista, Stockholm-Järfälla and Göteborg, Sweden. No customer data is transferred outside the European Economic Area. Support staff work from Sweden and Germany."],
    ["4. Sub-processors", "Colocation: Polar Facilities AB (Stockholm, Göteborg), physical facilities, power and cooling only, no logical access. Ticketing: Ärendehantering Nord AB (Sweden). The Processor gives 60 days' notice of a new sub-processor; the Controller may object and terminate without penalty."],
    ["5. Security measures", "The measures of Annex 2 apply, as certified under ISO/IEC 27001:2022 (certificate NCB-ISMS): encryption at rest for block and object storage by default, encryption of traffic between data centres, individual named accounts with hardware-backed multi-factor authentication, just-in-time privileged access, logging to write-once storage kept for 12 months, and yearly external penetration tests."],
    ["6. Personal data breaches", "The Processor notifies the Controller without undue delay and at the latest within 24 hours of becoming aware of a personal data breach that affects the Controller's data, with the information available at the time, and updates it as the investigation proceeds (GDPR Art. 33(2))."],
    ["7. Audits", "The Processor makes available its ISO/IEC 27001 certificate, the Statement of Applicability and the summary of its latest penetration test. The Controller may audit once a year with 30 days' notice, or at any time after a breach."],
    ["8. Return and deletion", "At the end of the services the Processor deletes all customer data within 30 days, including backups within 90 days, and confirms the deletion in writing. Decommissioned drives are wiped with a cryptographic erase and physically destroyed on site."],
  ];
  return pdf(
    (doc) => {
      doc.font("Helvetica-Bold").fontSize(18).text("Data Processing Agreement");
      doc.font("Helvetica").fontSize(11).fillColor("#444444").text(`between Nordlys Cloud AB (sample) and its Customer · version 3.1 · ${day(today)}`);
      doc.moveDown(0.3).font("Helvetica-Oblique").fontSize(9).fillColor("#aa0000").text("SAMPLE made by Assay's evidence:sample script; the companies are fictional.");
      doc.fillColor("#000000");
      for (const [title, body] of sections) {
        doc.moveDown(1).font("Helvetica-Bold").fontSize(12).text(title);
        doc.moveDown(0.3).font("Helvetica").fontSize(10.5).text(body, { align: "justify" });
      }
      doc.moveDown(2).font("Helvetica").fontSize(10.5).text("Signed for the Processor: Maja Lindqvist, Head of Compliance, Nordlys Cloud AB");
    },
    { size: "A4", margin: 60, info: { Title: "Data Processing Agreement, Nordlys Cloud AB (sample)", Author: "Nordlys Cloud AB (sample)" } },
  );
}

/** Restore tests of the last year: what the provider exports from its backup tooling. */
export function sampleRestoreTestsCsv(today: Date): Buffer {
  const systems = ["customer-volumes-sample", "object-storage-metadata", "control-plane-db", "identity-db", "billing-db", "customer-volumes-sample"];
  const zones = ["sto1", "sto2", "got1"];
  const lines = ["date,zone,system,backup_age_hours,restore_minutes,rpo_met,rto_met,verified_by"];
  for (let month = 11; month >= 0; month--) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - month, 9));
    for (let k = 0; k < 2; k++) {
      const n = month * 2 + k;
      const system = systems[n % systems.length]!;
      const restore = 12 + ((n * 37) % 90);
      lines.push([day(date), zones[n % zones.length], system, String(1 + ((n * 5) % 4)), String(restore), "yes", restore <= 60 ? "yes" : "no", n % 3 === 0 ? "a.nilsson" : "k.haddad"].join(","));
    }
  }
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

// ── the network diagram, drawn into pixels and encoded as PNG ─────────────────────────────────

/** A 5×7 bitmap font for the diagram's labels (upper case, digits, a little punctuation). */
const GLYPHS: Record<string, number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], C: [14, 17, 16, 16, 16, 17, 14], D: [28, 18, 17, 17, 17, 18, 28],
  E: [31, 16, 16, 30, 16, 16, 31], F: [31, 16, 16, 30, 16, 16, 16], G: [14, 17, 16, 23, 17, 17, 15], H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14], J: [7, 2, 2, 2, 2, 18, 12], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 17, 25, 21, 19, 17, 17], O: [14, 17, 17, 17, 17, 17, 14], P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13], R: [30, 17, 17, 30, 20, 18, 17], S: [15, 16, 16, 14, 1, 1, 30], T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14], V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 21, 10], X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 17, 10, 4, 4, 4], Z: [31, 1, 2, 4, 8, 16, 31],
  "0": [14, 17, 19, 21, 25, 17, 14], "1": [4, 12, 4, 4, 4, 4, 14], "2": [14, 17, 1, 2, 4, 8, 31], "3": [31, 2, 4, 2, 1, 17, 14],
  "4": [2, 6, 10, 18, 31, 2, 2], "5": [31, 16, 30, 1, 1, 17, 14], "6": [6, 8, 16, 30, 17, 17, 14], "7": [31, 1, 2, 4, 8, 8, 8],
  "8": [14, 17, 17, 14, 17, 17, 14], "9": [14, 17, 17, 15, 1, 2, 12],
  " ": [0, 0, 0, 0, 0, 0, 0], "-": [0, 0, 0, 31, 0, 0, 0], ".": [0, 0, 0, 0, 0, 12, 12], "/": [0, 1, 2, 4, 8, 16, 0],
  ":": [0, 12, 12, 0, 12, 12, 0], "(": [2, 4, 8, 8, 8, 4, 2], ")": [8, 4, 2, 2, 2, 4, 8], "+": [0, 4, 4, 31, 4, 4, 0],
};

type TRgb = [number, number, number];

class Canvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 3, 255);
  }
  fill(x: number, y: number, w: number, h: number, c: TRgb) {
    for (let j = Math.max(0, y); j < Math.min(this.height, y + h); j++) {
      for (let i = Math.max(0, x); i < Math.min(this.width, x + w); i++) this.pixels.set(c, (j * this.width + i) * 3);
    }
  }
  box(x: number, y: number, w: number, h: number, border: TRgb, inside: TRgb, thickness = 3) {
    this.fill(x, y, w, h, border);
    this.fill(x + thickness, y + thickness, w - 2 * thickness, h - 2 * thickness, inside);
  }
  /** Upper-case text at `scale` pixels per font dot; returns its width. */
  text(x: number, y: number, text: string, c: TRgb, scale = 2): number {
    let cx = x;
    for (const ch of text.toUpperCase()) {
      const rows = GLYPHS[ch] ?? GLYPHS[" "]!;
      rows.forEach((bits, r) => {
        for (let b = 0; b < 5; b++) if (bits & (16 >> b)) this.fill(cx + b * scale, y + r * scale, scale, scale, c);
      });
      cx += 6 * scale;
    }
    return cx - x;
  }
  centered(cx: number, y: number, text: string, c: TRgb, scale = 2) {
    this.text(Math.round(cx - (text.length * 6 * scale) / 2), y, text, c, scale);
  }
}

function png(canvas: Canvas): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(canvas.width, 0);
  ihdr.writeUInt32BE(canvas.height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour RGB
  // Each row starts with its filter type, 0 (none).
  const stride = canvas.width * 3;
  const raw = Buffer.alloc((stride + 1) * canvas.height);
  for (let y = 0; y < canvas.height; y++) canvas.pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

/** Three availability zones, the encrypted links between them, and the customer's view. */
export function sampleNetworkDiagramPng(): Buffer {
  const c = new Canvas(960, 560);
  const navy: TRgb = [31, 58, 95];
  const grey: TRgb = [90, 90, 90];
  const red: TRgb = [170, 0, 0];
  c.centered(480, 24, "NORDLYS CLOUD - AVAILABILITY ZONES AND NETWORK", navy, 3);
  c.centered(480, 56, "SAMPLE DIAGRAM (FICTIONAL PROVIDER)", red, 2);
  // Customer and the public API / load balancers.
  c.box(290, 90, 380, 70, navy, [232, 240, 250]);
  c.centered(480, 104, "CUSTOMER / INTERNET", navy, 2);
  c.centered(480, 128, "API - LBAAS - DNS (ANYCAST)", grey, 2);
  // The zones.
  const zones = [
    { x: 40, label: "STO1 KISTA", sub: ["COMPUTE + CEPH", "TIER III"], fill: [236, 246, 236] as TRgb },
    { x: 360, label: "STO2 JARFALLA", sub: ["COMPUTE + CEPH", "TIER III"], fill: [236, 246, 236] as TRgb },
    { x: 680, label: "GOT1 GOTEBORG", sub: ["COMPUTE + BACKUP", "TIER III"], fill: [246, 242, 230] as TRgb },
  ];
  for (const z of zones) {
    c.box(z.x, 250, 240, 150, navy, z.fill);
    c.centered(z.x + 120, 270, z.label, navy, 2);
    z.sub.forEach((line, k) => c.centered(z.x + 120, 310 + k * 26, line, grey, 2));
    // From the bus below the customer box down to each zone.
    c.fill(z.x + 118, 200, 4, 50, grey);
  }
  c.fill(478, 160, 4, 40, grey);
  c.fill(zones[0]!.x + 118, 198, zones[2]!.x - zones[0]!.x + 4, 4, grey);
  // Links between the zones.
  c.fill(280, 318, 80, 5, navy);
  c.fill(600, 318, 80, 5, navy);
  c.centered(480, 430, "ZONES LINKED BY ENCRYPTED 2 X 100G DWDM (MACSEC)", navy, 2);
  c.centered(480, 460, "PRIVATE NETWORKS STRETCHED ACROSS ZONES", grey, 2);
  c.centered(480, 490, "BACKUPS: STO1 + STO2 TO GOT1 EVERY 4 HOURS (IMMUTABLE)", grey, 2);
  return png(c);
}
