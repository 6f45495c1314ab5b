import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/layout/not-found-message";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="px-4 py-8">
      <NotFoundMessage />
    </main>
  );
}
