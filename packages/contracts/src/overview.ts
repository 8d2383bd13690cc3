import { z } from "zod";

export const OverviewSchema = z
  .object({
    scopeCode: z.string().nullable(),
    scopeName: z.string(),
    cards: z.array(z.object({ key: z.string(), label: z.string(), value: z.number() })),
    byRegion: z.array(z.object({ code: z.string(), name: z.string(), persons: z.number().int() })),
  })
  .meta({ id: "Overview" });
export type Overview = z.infer<typeof OverviewSchema>;
