import type { Person } from "@jiuye/contracts";
import { App } from "antd";
import { useCallback, useState } from "react";
import { api, errorMessage } from "../../api/client";

/** The person shown in a drawer: `open(id)` reads the record (an audited read), errors as a message. */
export function useOpenPerson() {
  const { message } = App.useApp();
  const [person, setPerson] = useState<Person | null>(null);
  const open = useCallback(
    async (id: string) => {
      try {
        setPerson(await api<Person>("GET", `/persons/${id}`));
      } catch (e) {
        message.error(errorMessage(e));
      }
    },
    [message],
  );
  return { person, setPerson, open };
}
