-- Company registration (企业设立登记): a landing milestone in the agency stage.
ALTER TABLE projects ADD COLUMN registered_on TEXT NOT NULL DEFAULT '';
