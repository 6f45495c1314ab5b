// What a fictional Swedish infrastructure provider, Nordlys Cloud AB, answers to the
// Infrastructure Provider Audit 1.0.0 (questionnaires/infrastructure-provider/1.0.0.yaml), with
// the audit's scope: a managed service, no NFS, no HIPAA. Every question shown with that scope
// and these answers has an entry, and nothing else does: scripts/lib/sample-audit.ts refuses to
// run otherwise, so a new questionnaire version cannot silently produce a half-empty sample.
//
// A few answers are in Swedish and German, and one quotes Chinese, as real providers' answers
// are: the package shows them in their own scripts (DejaVu Sans and Noto Sans SC).
//
// The evidence section is answered by the audit's officer (what she saw), everything else by the
// provider's contact through her invite link.

export type TSampleValue = string | number | string[];

export const SAMPLE_QUESTIONNAIRE = { slug: "infrastructure-provider", version: "1.0.0" } as const;
export const SAMPLE_SCOPE = { "managed-service": true, nfs: false, hipaa: false } as const;
/** Sections the provider's contact answers through the invite link; the officer answers the rest. */
export const PROVIDER_SECTIONS = ["tech", "org", "legal", "collab", "env"];

/** The provider's first answer to the question the clarification is about. */
export const BREACH_NOTIFICATION_FIRST = "Within 72 hours of becoming aware of it, as GDPR Art. 33 requires.";
/** And its answer after the clarification. */
export const BREACH_NOTIFICATION_AFTER = "Within 24 hours of becoming aware of a breach that affects customer data, with updates as the investigation proceeds (DPA v3.1, section 6).";

export const SAMPLE_ANSWERS: Record<string, TSampleValue> = {
  // ── Technical capabilities ──
  "tech.az.locations": "Tre tillgänglighetszoner i Sverige: Stockholm-Kista (sto1), Stockholm-Järfälla (sto2) och Göteborg-Hisings Backa (got1). Avståndet mellan Stockholm och Göteborg är cirka 400 km.",
  "tech.az.presentation": "single-api",
  "tech.services.offered":
    "Virtual machines (general purpose, memory optimised and GPU flavors), block storage (Ceph RBD, SSD and NVMe tiers), S3-compatible object storage, " +
    "private networks, load balancers, DNS, managed Kubernetes (CNCF certified), and a managed PostgreSQL service in preview.",
  "tech.services.all-zones": "no",
  "tech.iam.offered": "yes",
  "tech.iam.roles":
    "Through the web console, the Identity API (OpenStack Keystone v3) and our Terraform provider. Custom roles are combinations of predefined permissions per service; " +
    "role assignments can be scoped to a project or to the whole organisation.",
  "tech.iam.rbac-services": "Compute, block storage, object storage (per bucket), networking, load balancers, DNS zones, managed Kubernetes (cluster admin vs viewer) and billing.",
  "tech.iam.automation": "Yes to both: everything in the console is available in the Identity API, and the Terraform provider manages users, groups, projects and role assignments.",
  "tech.iam.multi-project": "yes",
  "tech.iaas.engine": "OpenStack 2025.1 (Epoxy) with KVM, operated by our own team",
  "tech.iaas.terraform": "yes",
  "tech.iaas.ubuntu-images": "yes",
  "tech.iaas.ubuntu-images.which": "Ubuntu 22.04 LTS and 24.04 LTS, rebuilt daily from Canonical's cloud images",
  "tech.iaas.ubuntu-images.security-updates": "yes",
  "tech.iaas.ubuntu-images.ntp": "yes",
  "tech.iaas.kubernetes": "yes",
  "tech.iaas.kubernetes.cloud-controller": "yes",
  "tech.iaas.autoscaling": "yes",
  "tech.iaas.autoscaling.reserve": "yes",
  "tech.iaas.autoscaling.reserve.billing": "Reserved capacity is billed at 40% of the on-demand price while the VMs are shut off; running VMs are billed at the normal rate.",
  "tech.iaas.autoscaling.implementation":
    "Terminate and recreate through the Kubernetes cluster autoscaler for stateless nodes. For stateful nodes, shelve/unshelve keeps the disks and releases the capacity.",
  "tech.iaas.anti-affinity": "yes",
  "tech.iaas.anti-affinity.max-group-size": 32,
  "tech.storage.object": "yes",
  "tech.storage.object.s3": "yes",
  "tech.storage.object.create-buckets": "yes",
  "tech.storage.object.bucket-credentials": "yes",
  "tech.storage.object.terraform": "yes",
  "tech.storage.object.zones": "All three zones; a bucket lives in one zone",
  "tech.storage.object.object-lock": "yes",
  "tech.storage.object.stretched": "no",
  "tech.storage.object.replicated": "yes",
  "tech.storage.block": "yes",
  "tech.storage.block.api": "OpenStack Cinder (Block Storage API v3)",
  "tech.storage.block.zones": "sto1, sto2 and got1",
  "tech.storage.block.csi": "yes",
  "tech.storage.block.stretched": "no",
  "tech.storage.block.replicated": "no",
  "tech.storage.block.csi-snapshots": "yes",
  "tech.storage.encryption": "yes",
  "tech.storage.encryption.object-default": "yes",
  "tech.storage.encryption.block-default": "yes",
  "tech.storage.encryption.boot-default": "no",
  "tech.net.private": "yes",
  "tech.net.private.terraform": "yes",
  "tech.net.private.stretched": "yes",
  "tech.net.private.trusted": "no",
  "tech.net.private.overlap": "no",
  "tech.net.private.peering": "With VPC peering between projects of the same organisation (API and Terraform), or through a shared router managed by the customer.",
  "tech.net.firewall": "yes",
  "tech.net.firewall.api": "OpenStack Neutron security groups and FWaaS v2",
  "tech.net.firewall.terraform": "yes",
  "tech.net.lb": "yes",
  "tech.net.lb.api": "yes",
  "tech.net.lb.terraform": "yes",
  "tech.net.lb.cloud-controller": "yes",
  "tech.net.lb.cross-zone": "yes",
  "tech.net.lb.cross-zone.api": "yes",
  "tech.net.lb.hairpin": "yes",
  "tech.net.lb.source-ip": "yes",
  "tech.net.ipv6": "yes",
  "tech.net.ipv6.default": "no",
  "tech.net.dns": "yes",
  "tech.net.dns.api": "OpenStack Designate (DNS API v2)",
  "tech.netsec.ntp": "yes",
  "tech.netsec.acme": "yes",

  // ── Organizational capabilities ──
  "org.regulations":
    "Most customers are subject to GDPR and NIS2; several are Swedish public-sector bodies (Offentlighets- och sekretesslagen, MSB's regulations) and two are " +
    "banks under Finansinspektionen's outsourcing rules and DORA. One customer with a subsidiary in China is also subject to the PIPL " +
    "(《中华人民共和国个人信息保护法》); we do not host that subsidiary's data: 我们不在中国境内存储或处理任何数据。",
  "org.iso27001": "yes",
  "org.iso27001.profile": "ISO/IEC 27001:2022, with the cloud controls of ISO/IEC 27017 and 27018",
  "org.iso27001.auditor": "Nordic Certification AB",
  "org.iso27001.soa": "Statement of Applicability v4.2 shared under NDA in the customer portal; all Annex A controls applicable except A.8.30 (no outsourced development).",
  "org.compliance-owner": "Maja Lindqvist, Head of Compliance, reporting to the CEO",
  "org.requirements":
    "Requirements are registered in our compliance register (laws, standards, customer contracts), each mapped to policies and controls in the ISMS with an owner. " +
    "The register is reviewed quarterly by the security forum and yearly by management.",
  "org.requirement-discovery": "Through legal monitoring by our counsel, the industry association's newsletters, customer contract negotiations and the certification body's findings.",
  "org.requirement-discovery.journey":
    "A new requirement gets an owner and a gap analysis within a month; policies are updated and approved by the security forum; staff are trained through our LMS " +
    "(completion tracked); the control is implemented as a change; evidence is collected automatically where possible and checked in the next internal audit.",
  "org.physical-security": "yes",
  "org.incidents":
    "A documented incident process based on ISO/IEC 27035: monitoring pages the on-call engineer, who classifies the incident within 15 minutes. Severity-1 incidents " +
    "get an incident commander and a customer status update every 30 minutes; every incident ends with a blameless post-mortem shared with affected customers.",
  "org.incidents.response-times-offered": "Severity 1: 15 minutes, 24/7. Severity 2: 1 hour, 24/7. Severity 3: next business day.",
  "org.incidents.response-times-actual": "Last 12 months: median first response 6 minutes for severity 1 (worst 14), 22 minutes for severity 2; median time to resolution 3 h 40 min for severity 1.",
  "org.change-management":
    "Every change is a peer-reviewed merge request, tested in a staging region and rolled out zone by zone with automatic health checks. Standard changes are pre-approved; " +
    "normal changes go through the weekly change advisory board; emergency changes are reviewed afterwards within two working days.",
  "org.vulnerabilities":
    "Weekly authenticated scans of all hosts, continuous image scanning, and a subscription to vendor advisories. Critical vulnerabilities in the hypervisor, firmware or " +
    "network layer are fixed or mitigated within 72 hours; high within 14 days. Compliance with these deadlines is reported monthly to management.",
  "org.capacity": "Capacity is forecast monthly from 18 months of usage; we keep at least 30% headroom per zone and order hardware four months ahead.",
  "org.breach-notification": BREACH_NOTIFICATION_FIRST,
  "org.sla": "99.95% monthly availability per zone for compute, block storage and networking; 99.99% for a workload spread across two zones. Service credits from 10% to 30%.",
  "org.sla.uptime-offered": "99.95% per zone, 99.99% across zones",
  "org.sla.uptime-measured": "99.98% per zone over the last 12 months (lowest month 99.91%)",
  "org.sla.status-page": "yes",
  "org.access-control":
    "Role-based access with least privilege; production access is just in time through our access broker, for at most 8 hours, approved by a second engineer and " +
    "recorded. Access rights are reviewed quarterly.",
  "org.individual-accounts": "yes",
  "org.individual-accounts.lifecycle":
    "Accounts are created from the HR system on the first day and disabled automatically on the last; hardware security keys are handed out in person. Leavers' access " +
    "is checked at the next quarterly review.",
  "org.credentials": "Customers' first administrator is invited by e-mail to set a password and a second factor; we never send passwords. API credentials are created by the customer.",
  "org.audit-logs": "yes",
  "org.audit-logs.handling":
    "12 months in write-once object storage in another zone. Only the security team can read them, through a logged query interface; the log pipeline signs batches so that " +
    "gaps and changes are detected.",
  "org.business-continuity":
    "A business continuity plan covers the loss of a zone, of a key supplier and of key staff, with roles, call trees and pre-agreed customer communication.",
  "org.business-continuity.tests": "Zone fail-over is tested twice a year. The last test, in September, moved all control-plane services from sto1 to sto2 in 11 minutes; two runbooks were improved.",
  "org.disaster-recovery":
    "Control-plane databases and customer backups are replicated to got1 every four hours, immutable for 30 days. A documented procedure rebuilds a zone's control plane from backups.",
  "org.disaster-recovery.tests": "Restore tests run monthly for sampled volumes (log attached); a full disaster-recovery exercise runs yearly, the last one in 2025.",
  "org.cryptography-policy":
    "Unsere Kryptografie-Richtlinie schreibt TLS 1.2 oder höher für alle externen Schnittstellen vor, AES-256 für gespeicherte Daten und Schlüssel in einem HSM-gestützten " +
    "Schlüsselverwaltungsdienst. Schlüssel werden jährlich rotiert; veraltete Verfahren (SHA-1, RSA < 2048 Bit) sind verboten.",
  "org.ddos": "Upstream scrubbing by our two transit providers, rate limiting on our edge, and anycast for DNS and the public API. Customers can order dedicated DDoS protection.",
  "org.colocation": "Polar Facilities AB operates the buildings in Kista, Järfälla and Hisings Backa; we own and operate everything inside our locked cages.",
  "org.colocation.subprocessors": "yes",
  "org.colocation.personal-data-access": "no",
  "org.colocation.hardware-replacement": "no",
  "org.colocation.server-handling": "yes",
  "org.colocation.additional-services": "no",
  "org.penetration-test": "March 2026, by an external firm (the whole public API, the console and a tenant-isolation test)",
  "org.penetration-test.findings":
    "No critical findings. One high: a rate limit missing on the password-reset endpoint, fixed within a week and verified by the testers. Three medium findings fixed within a month.",

  // ── Legal ──
  "legal.eu-operation": "yes",
  "legal.eu-ownership": "yes",
  "legal.eu-suppliers": "yes",
  "legal.eu-suppliers.web-assets": "no",
  "legal.dpo": "yes",
  "legal.dpo.employment": "internal",
  "legal.dpa": "Our standard DPA v3.1 (attached), based on the EU Commission's standard contractual clauses for processors; negotiable for public-sector customers.",

  // ── Collaboration ──
  "collab.on-call": "Your on-call team can reach ours through a shared incident channel and our 24/7 phone line; severity-1 tickets page our on-call engineer directly.",
  "collab.on-call.channels": "Service desk (portal and e-mail), phone 24/7, a shared Slack or Teams channel for managed-service customers, and quarterly meetings.",
  "collab.on-call.response-times": "15 minutes for severity 1, 24/7",
  "collab.on-call.always-available": "yes",
  "collab.retrospectives": "yes",
  "collab.roadmap": "yes",

  // ── Environment ──
  "env.policies": "ISO 14001:2015 certified since 2023; an environmental policy with yearly targets; the data centres are members of the Climate Neutral Data Centre Pact.",
  "env.energy-sources": "100% renewable electricity (hydro and wind) with guarantees of origin; the Göteborg site uses district cooling.",
  "env.efficiency": "Annual PUE 1.18 (Kista) and 1.12 (Hisings Backa). Waste heat from Kista goes into Stockholm's district-heating network; servers run at high utilisation through consolidation.",
  "env.recycling": "Servers are refurbished and resold through a certified partner after a cryptographic erase; drives that cannot be erased are shredded on site; 94% of the material was reused or recycled last year.",
  "env.compensation": "yes",

  // ── Evidence (the officer's record) ──
  "evidence.filled-questionnaire": "This questionnaire, answered by Maja Lindqvist through the invite link and submitted; clarified on breach notification.",
  "evidence.certificates": "ISO/IEC 27001:2022 certificate seen and attached (issuer, scope and validity recorded). ISO 14001 certificate shown in the meeting, not attached.",
  "evidence.terms-and-dpa": "DPA v3.1 attached. Terms of Service v2026-03 read on the provider's website.",
  "evidence.datacentre-certificates": "Polar Facilities AB's ISO 27001 and EN 50600 certificates shown during the site visit in Kista; copies requested.",
  "evidence.ownership-structure": "Extract from Bolagsverket seen: owned by its founders (62%) and a Swedish pension fund (38%). A signed statement is requested (see conditions).",
};
