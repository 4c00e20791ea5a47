/** The domain of an address, lower case (`Ann@Example.COM` → `example.com`). */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
