package api

func (a *API) calendarRoutes() []Route { return nil }
